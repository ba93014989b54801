package import Transport

/// Decides whether and when a failed request is tried again (pure).
///
/// Rules: 429 is always retried (the server did not act on the request); 5xx, 504 and retryable
/// transport errors only for idempotent verbs (GET, PUT with a resourceVersion, DELETE with
/// preconditions are safe; a POST may have taken effect). The delay is the server's Retry-After when it
/// gave one, else the ``Backoff`` from `baseDelay` (jittered by `jitter`), capped at `maxDelay`. At most
/// `maxRetries` retries.
package struct RetryPolicy: Sendable, Hashable {
    package var maxRetries: Int
    package var backoff: Backoff
    package var maxDelay: Duration { backoff.maxDelay }

    package init(maxRetries: Int, baseDelay: Duration, maxDelay: Duration, jitter: Double = 0) {
        self.maxRetries = maxRetries
        self.backoff = Backoff(initialDelay: baseDelay, maxDelay: maxDelay, jitter: jitter)
    }

    /// The delay before retry number `attempt` (1-based), or nil to give up with `error`.
    package func delay(afterAttempt attempt: Int, error: KubernetesError, idempotent: Bool) -> Duration? {
        guard attempt <= maxRetries else { return nil }
        switch error {
        case .tooManyRequests(_, let retryAfter):
            return min(retryAfter ?? backoff.delay(afterFailures: attempt), maxDelay)
        case .server(_, let retryAfter) where idempotent:
            return min(retryAfter ?? backoff.delay(afterFailures: attempt), maxDelay)
        case .transport(let transportError) where idempotent && transportError.isRetryable:
            return backoff.delay(afterFailures: attempt)
        default:
            return nil
        }
    }
}
