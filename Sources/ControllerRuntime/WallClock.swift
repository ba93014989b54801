package import struct Foundation.Date

/// Reads wall-clock time (since the Unix epoch) through an injected clock, from one anchor: the clock's
/// instant at a moment whose wall time is known.
///
/// The scheduler's slots are wall-clock instants (so every process agrees on them); sleeping happens on
/// the injected clock. Tests anchor a `TestClock` at any epoch moment they like.
package struct WallClock<C: Clock>: Sendable where C.Duration == Duration {
    package let clock: C
    private let anchorInstant: C.Instant
    private let anchorEpoch: Duration

    /// A wall clock that reads `epochNow` (time since 1970-01-01T00:00:00Z) at `clock.now`.
    package init(clock: C, epochNow: Duration) {
        self.clock = clock
        self.anchorInstant = clock.now
        self.anchorEpoch = epochNow
    }

    /// Anchored at the system's wall clock now.
    package init(clock: C) {
        self.init(clock: clock, epochNow: Self.epoch(of: Date()))
    }

    /// Wall time now, since the epoch.
    package func now() -> Duration { anchorEpoch + anchorInstant.duration(to: clock.now) }

    /// The clock's instant at wall time `epoch`.
    package func instant(at epoch: Duration) -> C.Instant { anchorInstant.advanced(by: epoch - anchorEpoch) }

    /// Wall time (since the epoch) of `date` (clamped to ±10¹² s; NaN reads as the epoch).
    package static func epoch(of date: Date) -> Duration {
        let raw = date.timeIntervalSince1970
        let seconds = raw.isNaN ? 0 : min(max(raw, -1e12), 1e12)
        let whole = seconds.rounded(.down)
        return .seconds(Int64(whole)) + .nanoseconds(Int64(((seconds - whole) * 1e9).rounded()))
    }
}
