/// A token bucket (sans-IO) in its GCRA form: the one rate limiter of the package (API requests,
/// registry requests). `burst` requests may go back to back, then one per ``interval``.
///
/// Guarantees: over any window of length T at most `burst + T/interval` requests are admitted. Waiters
/// reserve their slot when they ask, so they are admitted in arrival order. Times are `Duration`s since
/// an arbitrary epoch (an injected clock's start), so tests drive it exactly. ``interval`` and
/// ``burst`` may change between reservations (a registry asking to slow down).
package struct TokenBucket: Sendable, Hashable {
    /// Spacing of requests once the burst is used.
    package var interval: Duration
    /// Requests that may go back to back after a quiet period (at least 1).
    package var burst: Int {
        didSet { burst = max(burst, 1) }
    }
    /// When the next request would start if no burst were allowed (GCRA's theoretical arrival time).
    private var theoreticalArrival: Duration

    /// A full bucket at `now`: `burst` tokens, refilled at `qps` per second.
    package init(qps: Double, burst: Int, now: Duration = .zero) {
        self.interval = .seconds(1 / max(qps, 0.001))
        self.burst = max(burst, 1)
        self.theoreticalArrival = now
    }

    /// Requests per second once the burst is used.
    package var qps: Double { 1 / interval.seconds }

    /// The earliest start, at or after `now` and `notBefore`, of the next request; nothing is taken.
    package func earliestStart(now: Duration, notBefore: Duration = .zero) -> Duration {
        max(now, notBefore, theoreticalArrival - interval * (burst - 1))
    }

    /// Takes the slot of a request starting at `start` (from ``earliestStart(now:notBefore:)``).
    package mutating func take(at start: Duration) {
        theoreticalArrival = max(theoreticalArrival, start) + interval
    }

    /// Takes a token at `now` and returns how long the caller must wait before using it (zero when a
    /// token was available).
    package mutating func reserve(now: Duration) -> Duration {
        let start = earliestStart(now: now)
        take(at: start)
        return start - now
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    package var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
