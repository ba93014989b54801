/// Exponential backoff with jitter and reset (a value type): the one backoff of the package (watch
/// restarts, API request retries, notification retries).
///
/// The n-th consecutive failure waits `min(maxDelay, initialDelay · 2ⁿ⁻¹)`, reduced by a random fraction
/// of up to `jitter` so that many clients do not retry in lock step. ``reset()`` after a success.
/// Policies that are plain values (no failure count of their own) ask ``delay(afterFailures:)``.
package struct Backoff: Sendable, Hashable {
    package var initialDelay: Duration
    package var maxDelay: Duration
    /// 0 = no randomness; 0.5 = each delay is between 50 % and 100 % of the nominal one.
    package var jitter: Double
    package private(set) var failures = 0
    private var random: SplitMix64

    package init(
        initialDelay: Duration = .milliseconds(800), maxDelay: Duration = .seconds(30), jitter: Double = 0.5,
        seed: UInt64 = UInt64.random(in: 0...UInt64.max)
    ) {
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.jitter = min(max(jitter, 0), 1)
        self.random = SplitMix64(seed: seed)
    }

    /// Records a failure and returns how long to wait before the next attempt.
    package mutating func next() -> Duration {
        failures += 1
        var generator = random
        let delay = delay(afterFailures: failures, using: &generator)
        random = generator
        return delay
    }

    /// Forgets past failures (after a success).
    package mutating func reset() { failures = 0 }

    /// The delay after the n-th consecutive failure (1-based), before jitter.
    package func nominalDelay(afterFailures failures: Int) -> Duration {
        var nominal = initialDelay
        var step = 1
        while step < failures, nominal < maxDelay {
            nominal = nominal * 2
            step += 1
        }
        return min(nominal, maxDelay)
    }

    /// The delay after the n-th consecutive failure (1-based), jittered with the system's randomness.
    package func delay(afterFailures failures: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(afterFailures: failures, using: &generator)
    }

    /// The delay after the n-th consecutive failure (1-based), jittered with `generator`.
    package func delay(afterFailures failures: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let nominal = nominalDelay(afterFailures: failures)
        guard jitter > 0 else { return nominal }
        let fraction = Double(generator.next() >> 11) / Double(1 << 53)
        return nominal * (1 - jitter * fraction)
    }
}

/// A tiny deterministic PRNG, so a seeded backoff repeats exactly in tests.
struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
