import Transport

/// The request budget of one registry, as a pure state machine over time (sans-IO).
///
/// Three rules decide when the next request may start:
/// 1. **Pace** — a steady rate with a burst allowance (a ``TokenBucket``: requests are spaced by
///    `1 / requestsPerSecond`, up to `burst` may go back to back).
/// 2. **Retry-After** — after a 429/503 the registry is blocked until the delay it asked for.
/// 3. **Spreading** — when `ratelimit-remaining` drops below `lowRemainingFraction` of the limit,
///    the spacing widens to `window / remaining` so the remaining requests last the window instead
///    of running out; at zero, one request per `window / limit`.
///
/// A request whose start would be further away than `maxWait` is refused with the delay, so callers
/// can requeue instead of holding a worker: ``reserve(now:)`` returns `.refused(retryAfter:)`.
///
/// Times are `Duration`s since an arbitrary epoch (``RegistryClock``), so tests drive it exactly.
package struct RegistryBudget: Sendable {
    package struct Configuration: Sendable, Hashable {
        /// Steady request rate.
        package var requestsPerSecond: Double
        /// Requests that may go back to back after a quiet period.
        package var burst: Int
        /// Below this share of the limit remaining, requests are spread over the window.
        package var lowRemainingFraction: Double
        /// Longest a request waits for its turn; beyond, it is refused with the delay.
        package var maxWait: Duration

        package init(
            requestsPerSecond: Double = 20,
            burst: Int = 20,
            lowRemainingFraction: Double = 0.2,
            maxWait: Duration = .seconds(30)
        ) {
            self.requestsPerSecond = requestsPerSecond
            self.burst = burst
            self.lowRemainingFraction = lowRemainingFraction
            self.maxWait = maxWait
        }

        package static let `default` = Configuration()
    }

    /// What a caller must do before sending.
    package enum Reservation: Sendable, Hashable {
        /// Send now.
        case now
        /// Wait this long, then send (the slot is reserved).
        case after(Duration)
        /// Don't send; the registry cannot be asked before this delay has passed.
        case refused(retryAfter: Duration)
    }

    package let configuration: Configuration
    /// The pace; spreading widens its interval and turns off its burst.
    private var pace: TokenBucket
    /// No request before this (Retry-After).
    private var blockedUntil: Duration = .zero
    /// When the last reserved request starts.
    private var lastStart: Duration?
    /// Extra spacing from a low `ratelimit-remaining`, nil when the budget is healthy.
    package private(set) var spreadInterval: Duration?
    /// The last rate-limit reading, for metrics and `k8supdater check`.
    package private(set) var lastSignal: RateLimitSignal?

    package init(configuration: Configuration = .default) {
        self.configuration = configuration
        self.pace = TokenBucket(qps: configuration.requestsPerSecond, burst: configuration.burst)
    }

    /// Reserves the next slot at or after `now`.
    package mutating func reserve(now: Duration) -> Reservation {
        let base = Duration.seconds(1.0 / max(configuration.requestsPerSecond, 0.001))
        pace.interval = spreadInterval.map { max(base, $0) } ?? base
        pace.burst = spreadInterval == nil ? configuration.burst : 1
        var start = pace.earliestStart(now: now, notBefore: blockedUntil)
        if let spreadInterval, let lastStart { start = max(start, lastStart + spreadInterval) }
        let wait = start - now
        if wait > configuration.maxWait { return .refused(retryAfter: wait) }
        pace.take(at: start)
        lastStart = start
        return wait <= .zero ? .now : .after(wait)
    }

    /// Takes in what a response said about the rate limit.
    package mutating func observe(_ signal: RateLimitSignal, now: Duration) {
        lastSignal = signal
        if let retryAfter = signal.retryAfter { blockedUntil = max(blockedUntil, now + retryAfter) }
        guard let remaining = signal.remaining, let limit = signal.limit, limit > 0 else {
            spreadInterval = nil
            return
        }
        let window = signal.window ?? signal.resetAfter ?? .seconds(60)
        if remaining <= 0 {
            let wait = signal.resetAfter ?? window / limit
            blockedUntil = max(blockedUntil, now + wait)
            spreadInterval = window / limit
        } else if Double(remaining) < Double(limit) * configuration.lowRemainingFraction {
            spreadInterval = window / remaining
        } else {
            spreadInterval = nil
        }
    }

    /// Blocks the registry for `delay` (a 429/503 without a usable Retry-After gets a default from the caller).
    package mutating func block(for delay: Duration, now: Duration) {
        blockedUntil = max(blockedUntil, now + delay)
    }
}
