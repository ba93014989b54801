import Synchronization
import Transport

/// Admits requests at the configured rate: a ``TokenBucket`` on an injected clock.
package final class RateLimiter<C: Clock>: Sendable where C.Duration == Duration {
    private let clock: C
    private let start: C.Instant
    private let bucket: Mutex<TokenBucket>

    package init(qps: Double, burst: Int, clock: C) {
        self.clock = clock
        self.start = clock.now
        self.bucket = Mutex(TokenBucket(qps: qps, burst: burst))
    }

    /// Waits until the request may go.
    ///
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    package func acquire() async throws {
        let now = start.duration(to: clock.now)
        let delay = bucket.withLock { $0.reserve(now: now) }
        if delay > .zero { try await clock.sleep(for: delay) }
    }
}
