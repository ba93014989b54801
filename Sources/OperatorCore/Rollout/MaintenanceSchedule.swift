package import Foundation
package import VersioningAPI

/// Maintenance windows, validated: when an update may be applied (inside a window) and when the next
/// window opens. Pure: the caller passes the instant.
///
/// A window starts on each of its days at `start` local time in its time zone and lasts until `end`
/// (the same day, or the next when `end` is at or before `start`). Local times are turned into instants
/// as clocks do across DST: a time that does not exist (skipped when clocks go forward) is moved forward
/// by the gap (02:30 on a spring-forward night is 03:30); a time that exists twice (clocks go back) is
/// its first occurrence.
package struct MaintenanceSchedule: Sendable, Hashable {
    /// One validated window.
    package struct Window: Sendable, Hashable {
        /// ISO weekdays 1 (Monday) … 7 (Sunday) the window starts on; empty: every day.
        package var days: Set<Int>
        /// Minutes after local midnight (0 … 1439).
        package var start: Int
        /// Minutes after local midnight (1 … 1440); at or before `start`: on the next day.
        package var end: Int
        package var timeZone: TimeZone
    }

    package var windows: [Window]

    package static let dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// Validates `spec.maintenanceWindows` (or the parsed global setting); nil when empty.
    /// - Throws: a ``SpecProblem`` (`InvalidMaintenanceWindow`) naming the entry and what is wrong.
    package init?(_ specs: [VersioningHandler.MaintenanceWindow], field: String = "spec.maintenanceWindows")
        throws(SpecProblem)
    {
        guard !specs.isEmpty else { return nil }
        var windows: [Window] = []
        for (index, spec) in specs.enumerated() {
            func problem(_ text: String) -> SpecProblem {
                SpecProblem(reason: "InvalidMaintenanceWindow", message: "\(field)[\(index)]: \(text)")
            }
            var days = Set<Int>()
            for day in spec.days ?? [] {
                guard let number = Self.dayNames.firstIndex(where: { $0.lowercased() == day.lowercased() }) else {
                    throw problem("day \"\(day)\" is not one of \(Self.dayNames.joined(separator: ", "))")
                }
                days.insert(number + 1)
            }
            guard let start = Self.minutes(spec.start), start < 1440 else {
                throw problem("start \"\(spec.start)\" is not a time HH:MM from 00:00 to 23:59")
            }
            guard let end = Self.minutes(spec.end), end > 0 else {
                throw problem("end \"\(spec.end)\" is not a time HH:MM from 00:01 to 24:00")
            }
            let zoneName = spec.timeZone ?? "UTC"
            guard let zone = TimeZone(identifier: zoneName) else {
                throw problem("time zone \"\(zoneName)\" is unknown; use an IANA name such as Europe/Berlin or UTC")
            }
            windows.append(Window(days: days, start: start, end: end, timeZone: zone))
        }
        self.windows = windows
    }

    /// `HH:MM` → minutes after midnight (up to 24:00), nil when malformed.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hours = Int(parts[0]),
            let minutes = Int(parts[1]), (0...24).contains(hours), (0..<60).contains(minutes),
            hours < 24 || minutes == 0
        else { return nil }
        return hours * 60 + minutes
    }

    /// The end of the window `instant` is in, or nil when it is outside every window.
    package func windowEnd(containing instant: Date) -> Date? {
        var latest: Date?
        for window in windows {
            let today = Self.localDay(instant, window.timeZone)
            for day in [today - 1, today] where window.startsOn(day) {
                let (start, end) = window.bounds(day)
                if start <= instant && instant < end { latest = max(latest ?? end, end) }
            }
        }
        return latest
    }

    /// Whether `instant` is inside a window.
    package func contains(_ instant: Date) -> Bool { windowEnd(containing: instant) != nil }

    /// The next moment after `instant` at which a window opens (within the next eight days).
    package func nextStart(after instant: Date) -> Date? {
        var next: Date?
        for window in windows {
            let today = Self.localDay(instant, window.timeZone)
            for day in today...(today + 8) where window.startsOn(day) {
                let (start, _) = window.bounds(day)
                if start > instant {
                    next = min(next ?? start, start)
                    break
                }
            }
        }
        return next
    }

    /// Days since 1970-01-01 of the local date of `instant` in `zone`.
    static func localDay(_ instant: Date, _ zone: TimeZone) -> Int {
        let local = instant.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: instant))
        return Int((local / 86_400).rounded(.down))
    }
}

extension MaintenanceSchedule.Window {
    /// Whether the window starts on the local day `day` (days since 1970-01-01, a Thursday).
    func startsOn(_ day: Int) -> Bool {
        guard !days.isEmpty else { return true }
        let weekday = ((day + 3) % 7 + 7) % 7 + 1  // 1970-01-01 is ISO weekday 4
        return days.contains(weekday)
    }

    /// The instants the window opens and closes when it starts on local day `day`.
    func bounds(_ day: Int) -> (start: Date, end: Date) {
        let endDay = end <= start ? day + 1 : day
        return (Self.instant(day: day, minutes: start, timeZone), Self.instant(day: endDay, minutes: end, timeZone))
    }

    /// The instant of a local wall-clock time: the first occurrence of an ambiguous time, a skipped
    /// time moved forward by the gap.
    static func instant(day: Int, minutes: Int, _ zone: TimeZone) -> Date {
        let naive = Double(day) * 86_400 + Double(minutes) * 60
        let before = Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: naive - 86_400)))
        let after = Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: naive + 86_400)))
        let candidates = [naive - before, naive - after].filter { candidate in
            Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: candidate))) == naive - candidate
        }
        if let earliest = candidates.min() { return Date(timeIntervalSince1970: earliest) }
        return Date(timeIntervalSince1970: naive - before)
    }
}
