package import Transport

/// Everything the client needs to reach one API server: where, how to verify it, how to authenticate,
/// and how politely to talk to it.
package struct ClientConfiguration: Sendable {
    /// `https://host:port` (no trailing slash); paths are appended to it.
    package var server: String
    package var tls: TLSConfiguration
    package var auth: any AuthProvider
    /// The namespace of the context (or of the pod, in-cluster); `default` otherwise.
    package var namespace: String
    /// Sent with every request.
    package var userAgent: String
    /// Limits of ordinary requests; watches use ``watchTimeouts``.
    package var timeouts: HTTPTimeouts
    /// A watch has no total limit but is dropped when nothing (not even a bookmark) arrives for a while.
    package var watchTimeouts: HTTPTimeouts
    package var flowControl: FlowControl

    package init(
        server: String, tls: TLSConfiguration = .default, auth: any AuthProvider = AnonymousAuth(),
        namespace: String = "default", userAgent: String = ClientConfiguration.defaultUserAgent,
        timeouts: HTTPTimeouts = .default,
        watchTimeouts: HTTPTimeouts = HTTPTimeouts(total: nil, lowSpeedWindow: .seconds(150)),
        flowControl: FlowControl = FlowControl()
    ) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.tls = tls
        self.auth = auth
        self.namespace = namespace
        self.userAgent = userAgent
        self.timeouts = timeouts
        self.watchTimeouts = watchTimeouts
        self.flowControl = flowControl
    }

    /// `k8supdater/<version> (<os>/<arch>)`.
    package static var defaultUserAgent: String {
        #if os(Linux)
            let os = "linux"
        #else
            let os = "darwin"
        #endif
        #if arch(x86_64)
            let arch = "amd64"
        #elseif arch(arm64)
            let arch = "arm64"
        #else
            let arch = "unknown"
        #endif
        return "\(BuildInfo.userAgent) (\(os)/\(arch))"
    }

    /// Client-side flow control: a token bucket and bounded retries.
    package struct FlowControl: Sendable, Hashable {
        /// Sustained requests per second (client-go's default is 5; operators usually raise it).
        package var qps: Double
        /// Requests allowed at once before the rate applies.
        package var burst: Int
        /// How many times a throttled (429) or failed idempotent request is retried.
        package var maxRetries: Int
        /// The first retry delay when the server gave no Retry-After; doubles each time.
        package var retryBaseDelay: Duration
        /// The longest delay between retries.
        package var retryMaxDelay: Duration

        package init(
            qps: Double = 20, burst: Int = 40, maxRetries: Int = 3, retryBaseDelay: Duration = .milliseconds(200),
            retryMaxDelay: Duration = .seconds(10)
        ) {
            self.qps = qps
            self.burst = burst
            self.maxRetries = maxRetries
            self.retryBaseDelay = retryBaseDelay
            self.retryMaxDelay = retryMaxDelay
        }
    }
}
