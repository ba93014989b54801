/// Bounds on what one lookup may cost: time, bytes, pages, tags and 429 retries.
package struct RegistryLimits: Sendable, Hashable {
    /// Per-request time limits (connect and total).
    package var connectTimeout: Duration
    package var requestTimeout: Duration
    /// Largest response body read; larger replies fail with ``RegistryError/responseTooLarge(registry:limit:)``.
    package var maxResponseBytes: Int
    /// Largest number of tag pages followed for one repository.
    package var maxPages: Int
    /// Tags kept per repository; more are dropped (the last ones listed are kept) and reported.
    package var maxTagsPerRepository: Int
    /// `n=` of tags/list (1000 is the largest ECR accepts).
    package var tagPageSize: Int
    /// How many times one request is re-sent after a 429/503 (waiting per Retry-After, within the budget's maxWait).
    package var maxThrottleRetries: Int
    /// The wait after a 429/503 without Retry-After.
    package var defaultRetryAfter: Duration

    package init(
        connectTimeout: Duration = .seconds(10),
        requestTimeout: Duration = .seconds(30),
        maxResponseBytes: Int = 8 << 20,
        maxPages: Int = 200,
        maxTagsPerRepository: Int = 10_000,
        tagPageSize: Int = 1000,
        maxThrottleRetries: Int = 2,
        defaultRetryAfter: Duration = .seconds(10)
    ) {
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.maxResponseBytes = maxResponseBytes
        self.maxPages = maxPages
        self.maxTagsPerRepository = maxTagsPerRepository
        self.tagPageSize = tagPageSize
        self.maxThrottleRetries = maxThrottleRetries
        self.defaultRetryAfter = defaultRetryAfter
    }

    package static let `default` = RegistryLimits()
}
