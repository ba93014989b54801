import Synchronization

/// Admits requests at the configured rate: a ``TokenBucket`` on an injected clock.
package final class RateLimiter<C: Clock>: Sendable where C.Duration == Duration {
    private let clock: C
    private let bucket: Mutex<TokenBucket<C.Instant>>

    package init(qps: Double, burst: Int, clock: C) {
        self.clock = clock
        self.bucket = Mutex(TokenBucket(qps: qps, burst: burst, now: clock.now))
    }

    /// Waits until the request may go.
    ///
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    package func acquire() async throws {
        let delay = bucket.withLock { $0.reserve(now: clock.now) }
        if delay > .zero { try await clock.sleep(for: delay) }
    }
}
