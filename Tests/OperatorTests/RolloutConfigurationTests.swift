import Foundation
import OperatorCore
import Testing

/// `MIN_RELEASE_AGE` and `MAINTENANCE_WINDOWS` (and their flags): the global defaults of the safe-rollout
/// guards.
@Suite("Rollout settings: MIN_RELEASE_AGE and MAINTENANCE_WINDOWS")
struct RolloutConfigurationTests {
    typealias Load = OperatorConfigurationTests

    @Test("both are off by default")
    func defaults() throws {
        let checks = try Load.load().checks
        #expect(checks.minReleaseAge == nil)
        #expect(checks.maintenanceWindows == nil)
    }

    @Test("from the environment, and a flag wins over its variable")
    func parsed() throws {
        let fromEnv = try Load.load(
            [], ["MIN_RELEASE_AGE": "72h", "MAINTENANCE_WINDOWS": "Sat,Sun 02:00-05:00 Europe/Berlin"]
        ).checks
        #expect(fromEnv.minReleaseAge == .seconds(72 * 3_600))
        let schedule = try #require(fromEnv.maintenanceWindows)
        #expect(schedule.windows.count == 1)
        #expect(schedule.windows[0].days == [6, 7])
        #expect(schedule.windows[0].timeZone.identifier == "Europe/Berlin")
        let fromFlag = try Load.load(
            ["--min-release-age", "90m", "--maintenance-windows", "01:00-02:00"], ["MIN_RELEASE_AGE": "72h"]
        ).checks
        #expect(fromFlag.minReleaseAge == .seconds(90 * 60))
        #expect(fromFlag.maintenanceWindows?.windows.first?.days.isEmpty == true)
    }

    @Test("a bad value stops the start with one line naming the setting")
    func rejected() throws {
        let age = try Load.failure([], Load.pod.merging(["MIN_RELEASE_AGE": "3 days"]) { $1 })
        #expect(age.description == #"MIN_RELEASE_AGE: expected a duration such as 72h, 90m or 1h30m (got "3 days")"#)
        let zone = try Load.failure(["--maintenance-windows", "01:00-02:00 Nowhere/Land"], Load.pod)
        #expect(zone.setting == "--maintenance-windows")
        #expect(zone.description.contains(#"time zone "Nowhere/Land" is unknown"#))
    }
}
