package import Transport

/// What a ``Watcher`` watches and how it paces itself.
package struct WatcherConfiguration: Sendable, Hashable {
    package var labelSelector: String?
    package var fieldSelector: String?
    /// List page size (`limit`); nil lists in one response.
    package var pageSize: Int?
    /// Asks the server to end each watch after this long; the watcher then resumes from its last
    /// resourceVersion (client-go uses 5–10 minutes).
    package var watchTimeoutSeconds: Int?
    /// Delays after failures; reset after every success.
    package var backoff: Backoff

    package init(
        labelSelector: String? = nil, fieldSelector: String? = nil, pageSize: Int? = 500,
        watchTimeoutSeconds: Int? = 290, backoff: Backoff = Backoff()
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.pageSize = pageSize
        self.watchTimeoutSeconds = watchTimeoutSeconds
        self.backoff = backoff
    }
}
