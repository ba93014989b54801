package import Transport

/// How a ``WorkQueue`` paces work: bounded workers, per-key backoff, a global retry budget.
///
/// Defaults follow client-go's controller rate limiter in spirit (per-key exponential backoff, an
/// overall token bucket on retries, both applied and the longer wait wins), with a gentler per-key
/// start (1 s rather than 5 ms) because our reconciles call remote registries.
package struct WorkQueueConfiguration: Sendable, Hashable {
    /// At most this many keys are processed at once (≥ 1).
    package var maxConcurrent: Int
    /// The per-key backoff (initial delay, cap, jitter). Each key gets its own copy, seeded differently,
    /// reset when the key succeeds.
    package var backoff: Backoff
    /// Retries admitted per second across all keys (the global retry rate limit).
    package var retryQPS: Double
    /// Retries admitted at once before ``retryQPS`` applies.
    package var retryBurst: Int
    /// Seed for the per-key jitter (tests fix it; production draws a random one).
    package var seed: UInt64

    package init(
        maxConcurrent: Int = 4,
        backoff: Backoff = Backoff(initialDelay: .seconds(1), maxDelay: .seconds(300), jitter: 0.2),
        retryQPS: Double = 10, retryBurst: Int = 100, seed: UInt64 = UInt64.random(in: 0...UInt64.max)
    ) {
        self.maxConcurrent = max(maxConcurrent, 1)
        self.backoff = backoff
        self.retryQPS = retryQPS
        self.retryBurst = retryBurst
        self.seed = seed
    }
}
