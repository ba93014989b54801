import Foundation
package import VersioningAPI

/// `MAINTENANCE_WINDOWS` / `--maintenance-windows`: windows separated by `;`, each
/// `[days] HH:MM-HH:MM [time zone]` — days as `Mon,Wed` or a range `Mon-Fri` (none: every day), the
/// zone an IANA name (none: UTC); e.g. `Mon-Fri 02:00-05:00 Europe/Berlin; Sat,Sun 00:00-24:00`.
/// A JSON list of `{days, start, end, timeZone}` (the spec's form) is accepted too.
package enum MaintenanceWindowText {
    /// The windows `text` denotes (unvalidated times and zones: ``MaintenanceSchedule`` checks them).
    /// - Throws: a ``SpecProblem`` saying which entry cannot be read.
    package static func parse(_ text: String) throws(SpecProblem) -> [VersioningHandler.MaintenanceWindow] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("[") {
            do {
                return try JSONDecoder().decode([VersioningHandler.MaintenanceWindow].self, from: Data(trimmed.utf8))
            } catch {
                throw problem("is not a JSON list of {days, start, end, timeZone}")
            }
        }
        var windows: [VersioningHandler.MaintenanceWindow] = []
        for entry in trimmed.split(separator: ";") {
            let words = entry.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard let timeIndex = words.firstIndex(where: { $0.contains(":") && $0.contains("-") }), timeIndex <= 1,
                words.count - timeIndex <= 2
            else {
                throw problem(
                    "entry \"\(entry.trimmingCharacters(in: .whitespaces))\" is not [days] HH:MM-HH:MM [zone]")
            }
            let times = words[timeIndex].split(separator: "-").map(String.init)
            guard times.count == 2 else { throw problem("\"\(words[timeIndex])\" is not HH:MM-HH:MM") }
            let days = try timeIndex == 1 ? Self.days(words[0]) : nil
            let zone = words.count > timeIndex + 1 ? words[timeIndex + 1] : nil
            windows.append(.init(days: days, start: times[0], end: times[1], timeZone: zone))
        }
        guard !windows.isEmpty else { throw problem("names no window") }
        return windows
    }

    /// `Mon,Wed,Fri` or `Mon-Fri` (or a mix: `Mon-Wed,Sat`).
    private static func days(_ text: String) throws(SpecProblem) -> [String] {
        let names = MaintenanceSchedule.dayNames.map { $0.lowercased() }
        var days: [String] = []
        for part in text.split(separator: ",") {
            let range = part.split(separator: "-").map { $0.lowercased() }
            guard let first = range.first.flatMap({ names.firstIndex(of: $0) }),
                let last = range.last.flatMap({ names.firstIndex(of: $0) }), range.count <= 2
            else { throw problem("\"\(part)\" is not a day (\(MaintenanceSchedule.dayNames.joined(separator: ", ")))") }
            var index = first
            while true {
                days.append(MaintenanceSchedule.dayNames[index])
                if index == last { break }
                index = (index + 1) % 7
            }
        }
        return days
    }

    private static func problem(_ text: String) -> SpecProblem {
        SpecProblem(reason: "InvalidMaintenanceWindow", message: text)
    }
}
