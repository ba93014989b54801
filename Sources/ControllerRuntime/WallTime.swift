package import struct Foundation.Date

/// Wall-clock time as a `Duration` since the Unix epoch: what ``PeriodicSchedule`` works in.
///
/// The controller reads wall time through an injected `now: () -> Date` (the package's one way to
/// inject a wall clock) and sleeps on its injected `Clock`.
package enum WallTime {
    /// `date` as a duration since 1970-01-01T00:00:00Z, rounded to whole microseconds (`Date`'s
    /// precision near today is a fraction of one), clamped to ±10¹² s; NaN reads as the epoch.
    package static func epoch(of date: Date) -> Duration {
        let raw = date.timeIntervalSince1970
        let seconds = raw.isNaN ? 0 : min(max(raw, -1e12), 1e12)
        let whole = seconds.rounded(.down)
        return .seconds(Int64(whole)) + .microseconds(Int64(((seconds - whole) * 1e6).rounded()))
    }

    /// The `Date` at `epoch` (a duration since 1970-01-01T00:00:00Z).
    package static func date(at epoch: Duration) -> Date {
        let (seconds, attoseconds) = epoch.components
        return Date(timeIntervalSince1970: Double(seconds) + Double(attoseconds) / 1e18)
    }
}
