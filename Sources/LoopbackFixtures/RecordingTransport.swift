import Synchronization
package import Transport

/// Wraps a real transport and records each request's method and URL (never its headers), so tests
/// can count what a client sent — e.g. that an index is fetched only once.
package final class RecordingTransport: HTTPTransport {
    package let base: any HTTPTransport
    private let log = Mutex<[(method: String, url: String)]>([])

    package init(_ base: any HTTPTransport) {
        self.base = base
    }

    /// `METHOD url` of every request so far.
    package var requests: [String] { log.withLock { $0.map { "\($0.method) \($0.url)" } } }

    /// How many requests so far satisfy `predicate` (given `METHOD url`).
    package func count(where predicate: (String) -> Bool) -> Int { requests.filter(predicate).count }

    package func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        log.withLock { $0.append((request.method.rawValue, request.url)) }
        return try await base.send(request)
    }

    package func stream(_ request: HTTPRequest) async throws(TransportError) -> HTTPStreamingResponse {
        log.withLock { $0.append((request.method.rawValue, request.url)) }
        return try await base.stream(request)
    }
}
