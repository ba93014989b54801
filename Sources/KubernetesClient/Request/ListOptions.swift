import Transport

/// Options of a list request.
package struct ListOptions: Sendable, Hashable {
    /// `k=v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`; comma means AND.
    package var labelSelector: String?
    /// `metadata.name=x`, `metadata.namespace!=y`, …
    package var fieldSelector: String?
    /// Page size; nil lets the server return everything.
    package var limit: Int?
    /// The continue token of the previous page.
    package var continueToken: String?
    /// `"0"` = any cached state; nil = most recent (a quorum read).
    package var resourceVersion: String?
    /// `NotOlderThan` or `Exact`, with ``resourceVersion``.
    package var resourceVersionMatch: String?

    package init(
        labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil, continueToken: String? = nil,
        resourceVersion: String? = nil, resourceVersionMatch: String? = nil
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
    }

    var query: QueryString {
        var query = QueryString()
        query.add("labelSelector", labelSelector)
        query.add("fieldSelector", fieldSelector)
        query.add("limit", limit.map(String.init))
        query.add("continue", continueToken)
        query.add("resourceVersion", resourceVersion)
        query.add("resourceVersionMatch", resourceVersionMatch)
        return query
    }
}

/// Options of a watch request.
package struct WatchOptions: Sendable, Hashable {
    package var labelSelector: String?
    package var fieldSelector: String?
    /// Start after this resourceVersion (the list's); nil = synthetic ADDED for the current state first.
    package var resourceVersion: String?
    /// Ask for BOOKMARK events, which advance the resourceVersion without an object change.
    package var allowWatchBookmarks: Bool
    /// The server ends the watch after this long; the watcher then resumes from its last resourceVersion.
    package var timeoutSeconds: Int?

    package init(
        labelSelector: String? = nil, fieldSelector: String? = nil, resourceVersion: String? = nil,
        allowWatchBookmarks: Bool = true, timeoutSeconds: Int? = nil
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.resourceVersion = resourceVersion
        self.allowWatchBookmarks = allowWatchBookmarks
        self.timeoutSeconds = timeoutSeconds
    }

    var query: QueryString {
        var query = QueryString()
        query.add("watch", "true")
        query.add("labelSelector", labelSelector)
        query.add("fieldSelector", fieldSelector)
        query.add("resourceVersion", resourceVersion)
        query.add("allowWatchBookmarks", allowWatchBookmarks ? "true" : nil)
        query.add("timeoutSeconds", timeoutSeconds.map(String.init))
        return query
    }
}
