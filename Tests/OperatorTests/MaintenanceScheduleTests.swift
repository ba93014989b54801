import Foundation
import OperatorCore
import Testing
import VersioningAPI

/// Maintenance windows: inside/outside, across midnight and across DST changes in a named time zone,
/// and the global setting's text form.
@Suite("Maintenance windows")
struct MaintenanceScheduleTests {
    /// `2026-03-29T01:30:00Z`-style instants.
    static func utc(_ text: String) throws -> Date { try Date(text, strategy: .iso8601) }

    static func schedule(_ windows: [VersioningHandler.MaintenanceWindow]) throws -> MaintenanceSchedule {
        try #require(try MaintenanceSchedule(windows))
    }

    @Test("a window in UTC: start inclusive, end exclusive; the next start is the next matching day")
    func utcWindow() throws {
        let schedule = try Self.schedule([.init(days: ["Wed"], start: "02:00", end: "05:00")])
        // 2026-11-25 is a Wednesday.
        #expect(!schedule.contains(try Self.utc("2026-11-25T01:59:59Z")))
        #expect(schedule.contains(try Self.utc("2026-11-25T02:00:00Z")))
        #expect(
            schedule.windowEnd(containing: try Self.utc("2026-11-25T04:59:00Z"))
                == (try Self.utc("2026-11-25T05:00:00Z")))
        #expect(!schedule.contains(try Self.utc("2026-11-25T05:00:00Z")))
        #expect(
            schedule.nextStart(after: try Self.utc("2026-11-25T16:00:00Z")) == (try Self.utc("2026-12-02T02:00:00Z")))
        #expect(
            schedule.nextStart(after: try Self.utc("2026-11-24T16:00:00Z")) == (try Self.utc("2026-11-25T02:00:00Z")))
    }

    @Test("a window that ends at or before its start runs past midnight; no days means every day")
    func acrossMidnight() throws {
        let schedule = try Self.schedule([.init(start: "22:00", end: "02:00", timeZone: "UTC")])
        #expect(schedule.contains(try Self.utc("2026-11-25T23:30:00Z")))
        #expect(schedule.contains(try Self.utc("2026-11-26T01:59:00Z")))
        #expect(!schedule.contains(try Self.utc("2026-11-26T02:00:00Z")))
        #expect(!schedule.contains(try Self.utc("2026-11-26T21:59:00Z")))
        let weekend = try Self.schedule([.init(days: ["Sat"], start: "22:00", end: "02:00")])
        // Saturday 2026-11-28 22:00 to Sunday 02:00: Sunday 01:00 is inside (the window started Saturday).
        #expect(weekend.contains(try Self.utc("2026-11-29T01:00:00Z")))
        #expect(!weekend.contains(try Self.utc("2026-11-29T23:00:00Z")))
    }

    @Test("Europe/Berlin, clocks forward (2026-03-29): a start in the skipped hour opens at 03:00 CEST")
    func springForward() throws {
        let schedule = try Self.schedule([
            .init(days: ["Sun"], start: "02:00", end: "05:00", timeZone: "Europe/Berlin")
        ])
        // 02:00 CET does not exist that night; the window opens at 03:00 CEST (01:00Z) and closes at 05:00 CEST (03:00Z).
        #expect(
            schedule.nextStart(after: try Self.utc("2026-03-28T12:00:00Z")) == (try Self.utc("2026-03-29T01:00:00Z")))
        #expect(!schedule.contains(try Self.utc("2026-03-29T00:59:00Z")))
        #expect(schedule.contains(try Self.utc("2026-03-29T01:00:00Z")))
        #expect(
            schedule.windowEnd(containing: try Self.utc("2026-03-29T02:30:00Z"))
                == (try Self.utc("2026-03-29T03:00:00Z")))
        #expect(!schedule.contains(try Self.utc("2026-03-29T03:00:00Z")))
        // A week before (CET): 02:00-05:00 local is 01:00Z-04:00Z.
        #expect(schedule.contains(try Self.utc("2026-03-22T03:30:00Z")))
        #expect(!schedule.contains(try Self.utc("2026-03-22T04:00:00Z")))
    }

    @Test("Europe/Berlin, clocks back (2026-10-25): the window lasts four hours, from the first 02:00")
    func fallBack() throws {
        let schedule = try Self.schedule([
            .init(days: ["Sun"], start: "02:00", end: "05:00", timeZone: "Europe/Berlin")
        ])
        // 02:00 CEST is 00:00Z; 05:00 CET is 04:00Z.
        #expect(
            schedule.nextStart(after: try Self.utc("2026-10-24T12:00:00Z")) == (try Self.utc("2026-10-25T00:00:00Z")))
        #expect(!schedule.contains(try Self.utc("2026-10-24T23:59:00Z")))
        #expect(schedule.contains(try Self.utc("2026-10-25T00:00:00Z")))
        #expect(schedule.contains(try Self.utc("2026-10-25T03:59:00Z")))
        #expect(!schedule.contains(try Self.utc("2026-10-25T04:00:00Z")))
        // The Sunday after (CET): 01:00Z-04:00Z.
        #expect(
            schedule.nextStart(after: try Self.utc("2026-10-25T05:00:00Z")) == (try Self.utc("2026-11-01T01:00:00Z")))
    }

    @Test("bad windows are refused with the entry and what is wrong")
    func invalid() throws {
        let cases: [(VersioningHandler.MaintenanceWindow, String)] = [
            (.init(days: ["Funday"], start: "02:00", end: "03:00"), "day \"Funday\""),
            (.init(start: "2:00", end: "03:00"), "start \"2:00\""),
            (.init(start: "02:00", end: "25:00"), "end \"25:00\""),
            (.init(start: "02:00", end: "03:00", timeZone: "Mars/Olympus"), "time zone \"Mars/Olympus\""),
        ]
        for (window, fragment) in cases {
            #expect {
                _ = try MaintenanceSchedule([window])
            } throws: { error in
                guard let problem = error as? SpecProblem else { return false }
                return problem.reason == "InvalidMaintenanceWindow" && problem.message.contains(fragment)
                    && problem.message.contains("spec.maintenanceWindows[0]")
            }
        }
    }

    @Test("MAINTENANCE_WINDOWS text: day lists and ranges, optional zone, several windows; JSON too")
    func text() throws {
        let windows = try MaintenanceWindowText.parse("Mon-Fri 02:00-05:00 Europe/Berlin; Sat,Sun 00:00-24:00")
        #expect(
            windows == [
                .init(
                    days: ["Mon", "Tue", "Wed", "Thu", "Fri"], start: "02:00", end: "05:00", timeZone: "Europe/Berlin"),
                .init(days: ["Sat", "Sun"], start: "00:00", end: "24:00"),
            ])
        #expect(try MaintenanceWindowText.parse("01:00-02:00") == [.init(start: "01:00", end: "02:00")])
        #expect(try MaintenanceWindowText.parse("Fri-Mon 01:00-02:00").first?.days == ["Fri", "Sat", "Sun", "Mon"])
        #expect(
            try MaintenanceWindowText.parse(#"[{"days":["Sat"],"start":"01:00","end":"02:00","timeZone":"UTC"}]"#)
                == [.init(days: ["Sat"], start: "01:00", end: "02:00", timeZone: "UTC")])
        #expect(throws: SpecProblem.self) { try MaintenanceWindowText.parse("weekends") }
        #expect(throws: SpecProblem.self) { try MaintenanceWindowText.parse("Someday 01:00-02:00") }
    }
}
