/// A token bucket (sans-IO): `burst` tokens, refilled at `qps` per second. Each request takes one
/// token; when none is left it is told how long to wait.
///
/// Guarantees: over any window of length T at most `burst + qps·T` requests are admitted. Waiters
/// reserve their token when they ask, so they are admitted in arrival order.
package struct TokenBucket<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    package let qps: Double
    package let burst: Int
    private var tokens: Double
    private var last: Instant

    package init(qps: Double, burst: Int, now: Instant) {
        self.qps = max(qps, 0.001)
        self.burst = max(burst, 1)
        self.tokens = Double(self.burst)
        self.last = now
    }

    /// Takes a token at `now` and returns how long the caller must wait before using it (zero when a
    /// token was available).
    package mutating func reserve(now: Instant) -> Duration {
        let elapsed = last.duration(to: now)
        if elapsed > .zero {
            tokens = min(Double(burst), tokens + elapsed.seconds * qps)
            last = now
        }
        tokens -= 1
        if tokens >= 0 { return .zero }
        return .seconds(-tokens / qps)
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    package var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
