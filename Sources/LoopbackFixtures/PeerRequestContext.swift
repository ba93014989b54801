package import Hummingbird
import NIOCore

/// A Hummingbird request context that also knows the client's TCP port, so a test can tell whether
/// requests shared a connection (`Router(context: PeerRequestContext.self)`).
package struct PeerRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// The client's source port, or nil when the channel has no remote address.
    package let remotePort: Int?

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remotePort = source.channel.remoteAddress?.port
    }
}
