import Transport

/// Decides whether and when a failed request is tried again (pure).
///
/// Rules: 429 is always retried (the server did not act on the request); 5xx, 504 and retryable
/// transport errors only for idempotent verbs (GET, PUT with a resourceVersion, DELETE with
/// preconditions are safe; a POST may have taken effect). The delay is the server's Retry-After when it
/// gave one, else exponential from `baseDelay`, capped at `maxDelay`. At most `maxRetries` retries.
package struct RetryPolicy: Sendable, Hashable {
    package var maxRetries: Int
    package var baseDelay: Duration
    package var maxDelay: Duration

    package init(maxRetries: Int, baseDelay: Duration, maxDelay: Duration) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The delay before retry number `attempt` (1-based), or nil to give up with `error`.
    package func delay(afterAttempt attempt: Int, error: KubernetesError, idempotent: Bool) -> Duration? {
        guard attempt <= maxRetries else { return nil }
        switch error {
        case .tooManyRequests(_, let retryAfter):
            return min(retryAfter ?? backoff(attempt), maxDelay)
        case .server(_, let retryAfter) where idempotent:
            return min(retryAfter ?? backoff(attempt), maxDelay)
        case .transport(let transportError) where idempotent && transportError.isRetryable:
            return backoff(attempt)
        default:
            return nil
        }
    }

    private func backoff(_ attempt: Int) -> Duration {
        var delay = baseDelay
        for _ in 1..<max(attempt, 1) {
            delay = delay * 2
            if delay >= maxDelay { return maxDelay }
        }
        return min(delay, maxDelay)
    }
}
