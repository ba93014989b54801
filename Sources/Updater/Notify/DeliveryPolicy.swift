import Transport

/// How hard the fan-out tries each channel: a timeout per attempt and bounded retries with
/// exponential backoff. Defaults: 10 s per attempt, 3 attempts, 1 s doubling to at most 30 s, and a
/// peer-requested delay (`retry_after`) honoured up to 60 s — longer requests end the attempt
/// series, and the ledger re-sends on a later check.
package struct DeliveryPolicy: Sendable, Hashable {
    package var attemptTimeout: Duration
    package var maxAttempts: Int
    package var initialBackoff: Duration
    package var maxBackoff: Duration
    package var maxRetryAfter: Duration

    package init(
        attemptTimeout: Duration = .seconds(10),
        maxAttempts: Int = 3,
        initialBackoff: Duration = .seconds(1),
        maxBackoff: Duration = .seconds(30),
        maxRetryAfter: Duration = .seconds(60)
    ) {
        self.attemptTimeout = attemptTimeout
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxRetryAfter = maxRetryAfter
    }

    package static let `default` = DeliveryPolicy()

    /// The delay before attempt `attempt + 1` after `error`, or nil to stop trying.
    ///
    /// - Parameter attempt: the attempt that just failed, starting at 1.
    package func delay(after attempt: Int, error: NotificationError) -> Duration? {
        guard error.isRetryable, attempt < maxAttempts else { return nil }
        if let requested = error.retryAfter {
            return requested <= maxRetryAfter ? requested : nil
        }
        return Backoff(initialDelay: initialBackoff, maxDelay: maxBackoff, jitter: 0).delay(afterFailures: attempt)
    }
}
