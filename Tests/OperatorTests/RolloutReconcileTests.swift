import Foundation
import KubeEmulator
import KubernetesClient
import OperatorCore
import TestSupport
import Testing
import Updater
import VersioningAPI

@testable import ControllerRuntime

/// Safe rollouts through `VersioningHandlerReconciler` on a test clock: minimum release age,
/// maintenance windows, following a rollout and rolling a failed one back (the emulator's crash-looping
/// containers and progress deadline).
@Suite("VersioningHandler reconcile: safe rollouts")
struct RolloutReconcileTests {
    typealias Fixture = ReconcileFixture

    static func at(_ offset: TimeInterval) -> @Sendable () -> Date {
        { Fixture.time.addingTimeInterval(offset) }
    }

    func webImage(_ fixture: Fixture) async throws -> String? {
        try await fixture.deployment().spec?.template.spec.containers.first { $0.name == "web" }?.image
    }

    @Test("a tag younger than minReleaseAge is held, rescheduled for the moment it comes of age, and applied then")
    func releaseAge() async throws {
        try await Fixture.with(tags: ["1.25.3", "1.25.4"]) { fixture in
            // 1.25.4 was built an hour before the first check; it may be applied three hours after it was built.
            fixture.registry.setCreated(
                Fixture.time.addingTimeInterval(-3_600), repository: Fixture.repository, tag: "1.25.4")
            try await fixture.createDeployment(tag: "1.25.3")
            try await fixture.createHandler { $0.minReleaseAge = "3h" }
            let generation = try await fixture.deployment().metadata.generation

            #expect(
                try await fixture.reconcile(with: fixture.reconciler(now: Self.at(0)))
                    == .checkAgain(after: .seconds(7_200)))
            var web = try #require(try await fixture.handler().status?.containers?.first)
            #expect(web.action == .held)
            #expect(web.message?.hasPrefix("1.25.4 waits until 2026-11-25 18:00 UTC") == true)
            #expect(try await fixture.handler().status?.summary == "Held 1.25.4")
            #expect(try await fixture.deployment().metadata.generation == generation)

            // One second early: still held, nothing written to the Deployment.
            #expect(
                try await fixture.reconcile(with: fixture.reconciler(now: Self.at(7_199)))
                    == .checkAgain(after: .seconds(1)))
            #expect(try await webImage(fixture) == fixture.image("1.25.3"))
            #expect(try await fixture.deployment().metadata.generation == generation)

            // Of age: applied, and the rollout is followed.
            #expect(
                try await fixture.reconcile(with: fixture.reconciler(now: Self.at(7_200)))
                    == .checkAgain(after: .seconds(5)))
            #expect(try await webImage(fixture) == fixture.image("1.25.4"))
            web = try #require(try await fixture.handler().status?.containers?.first)
            #expect(web.action == .updated)
            #expect(try await fixture.events().map(\.reason) == ["Updated"])
        }
    }

    @Test("a registry without a creation date holds the tag and says so")
    func releaseAgeUnknown() async throws {
        try await Fixture.with(tags: ["1.25.3", "1.25.4"]) { fixture in
            try await fixture.createDeployment(tag: "1.25.3")
            try await fixture.createHandler { $0.minReleaseAge = "1h" }
            #expect(try await fixture.reconcile(with: fixture.reconciler()) == .done)
            let web = try #require(try await fixture.handler().status?.containers?.first)
            #expect(web.action == .held)
            #expect(web.message?.contains("reports no creation time for 1.25.4") == true)
            #expect(try await webImage(fixture) == fixture.image("1.25.3"))
        }
    }

    @Test(
        "outside the maintenance window nothing is written to the Deployment and the finding is notified once; inside it the update happens once"
    )
    func maintenanceWindow() async throws {
        try await Fixture.with(tags: ["1.25.3", "1.25.4"]) { fixture in
            try await fixture.createDeployment(tag: "1.25.3")
            // Fixture.time is Wednesday 2026-11-25 16:00Z; the window opens Thursday 02:00 in Berlin (01:00Z).
            try await fixture.createHandler {
                $0.maintenanceWindows = [.init(days: ["Thu"], start: "02:00", end: "05:00", timeZone: "Europe/Berlin")]
            }
            let before = try await fixture.deployment()
            let opens: TimeInterval = 9 * 3_600

            #expect(
                try await fixture.reconcile(with: fixture.reconciler(now: Self.at(0)))
                    == .checkAgain(after: .seconds(opens)))
            #expect(try await fixture.deployment().metadata.generation == before.metadata.generation)
            var web = try #require(try await fixture.handler().status?.containers?.first)
            #expect(web.action == .held)
            #expect(web.message == "1.25.4 waits for the next maintenance window, 2026-11-26 01:00 UTC")
            #expect(try await fixture.events().map(\.reason) == ["Held"])

            // Later outside the window: still nothing written, no second notification.
            #expect(
                try await fixture.reconcile(with: fixture.reconciler(now: Self.at(3_600)))
                    == .checkAgain(after: .seconds(opens - 3_600)))
            #expect(try await fixture.deployment().metadata.generation == before.metadata.generation)
            #expect(try await fixture.events().map(\.reason) == ["Held"])

            // Inside: updated once, followed to completion, not again.
            #expect(
                try await fixture.reconcile(with: fixture.reconciler(now: Self.at(opens)))
                    == .checkAgain(after: .seconds(5)))
            #expect(try await webImage(fixture) == fixture.image("1.25.4"))
            for offset in [opens + 5, opens + 6, opens + 60] {
                _ = try await fixture.reconcile(with: fixture.reconciler(now: Self.at(offset)))
            }
            #expect(try await fixture.deployment().metadata.generation == (before.metadata.generation ?? 0) + 1)
            #expect(try await fixture.events().map(\.reason).sorted() == ["Held", "Updated"])
            web = try #require(try await fixture.handler().status?.containers?.first)
            #expect(web.action == .upToDate)
        }
    }

    @Test(
        "a rollout the operator started is followed; a new shard owner finishes following it and records its duration")
    func followAcrossOwners() async throws {
        try await Fixture.with(tags: ["1.25.3", "1.25.4"]) { fixture in
            try await fixture.createDeployment(tag: "1.25.3")
            try await fixture.createHandler()
            #expect(
                try await fixture.reconcile(with: fixture.reconciler(now: Self.at(0)))
                    == .checkAgain(after: .seconds(5)))
            let record = try #require(try await fixture.handler().status?.rollout)
            #expect(record.container == "web")
            #expect(record.from == fixture.image("1.25.3"))
            #expect(record.to == fixture.image("1.25.4"))
            #expect(record.deadline.date == record.started.date.addingTimeInterval(600))
            #expect(try await fixture.handler().condition("Rollout")?.status == "Unknown")

            // Another replica owns the object now: it reads the record and finishes following.
            let successor = fixture.reconciler(now: Self.at(12), shard: "k8supdater-1")
            #expect(try await fixture.reconcile(with: successor) == .done)
            let handler = try await fixture.handler()
            #expect(handler.status?.rollout == nil)
            #expect(handler.status?.shard == "k8supdater-1")
            let condition = try #require(handler.condition("Rollout"))
            #expect(condition.status == "True")
            #expect(condition.reason == "RolloutComplete")
            #expect(condition.message == "web: 1.25.4 rolled out in 12s")
            #expect(try await fixture.reconcile(with: successor) == .done)
        }
    }

    @Test("a restart for a rebuilt latest waits for the window too; the news is notified at once")
    func restartOutsideWindow() async throws {
        try await Fixture.with(tags: ["latest"]) { fixture in
            await fixture.runDigests { _, _ in "sha256:" + String(repeating: "a", count: 64) }
            try await fixture.createDeployment(tag: "latest")
            try await fixture.createHandler {
                $0.maintenanceWindows = [.init(days: ["Sat", "Sun"], start: "00:00", end: "24:00")]
            }
            let reconciler = fixture.reconciler(latestPreference: true, now: Self.at(0))
            // Wednesday 16:00Z → Saturday 00:00Z.
            #expect(try await fixture.reconcile(with: reconciler) == .checkAgain(after: .seconds(56 * 3_600)))
            let annotations = try await fixture.deployment().spec?.template.metadata?.annotations
            #expect(annotations?[VersioningHandlerReconciler.restartAnnotation] == nil)
            #expect(try await fixture.handler().status?.containers?.first?.action == .held)
            #expect(try await fixture.events().map(\.reason) == ["Held"])
            let inside = fixture.reconciler(latestPreference: true, now: Self.at(56 * 3_600))
            _ = try await fixture.reconcile(with: inside)
            let restarted = try await fixture.deployment().spec?.template.metadata?.annotations
            #expect(restarted?[VersioningHandlerReconciler.restartAnnotation] != nil)
        }
    }

    @Test("rollback off: the update is made and not followed")
    func rollbackOff() async throws {
        try await Fixture.with(tags: ["1.25.3", "1.25.4"]) { fixture in
            try await fixture.createDeployment(tag: "1.25.3")
            try await fixture.createHandler { $0.rollback = .init(enabled: false) }
            #expect(try await fixture.reconcile(with: fixture.reconciler()) == .done)
            #expect(try await webImage(fixture) == fixture.image("1.25.4"))
            #expect(try await fixture.handler().status?.rollout == nil)
        }
    }

    @Test(
        "a crash-looping tag: rolled back after the progress deadline, the tag recorded and never tried again, one notification; a newer tag is still applied"
    )
    func rollback() async throws {
        try await Fixture.with(tags: ["1.25.3", "1.25.4"], crashLoopImages: ["*/team/web:1.25.4"]) { fixture in
            try await fixture.createDeployment(tag: "1.25.3", progressDeadlineSeconds: 1)
            try await fixture.createHandler()
            #expect(
                try await fixture.reconcile(with: fixture.reconciler(now: Self.at(0)))
                    == .checkAgain(after: .seconds(5)))
            #expect(try await webImage(fixture) == fixture.image("1.25.4"))

            // The emulator's controller reports the stalled rollout once its deadline has passed.
            var exceeded = false
            for _ in 0..<200 where !exceeded {
                let deployment = try await fixture.deployment()
                exceeded = deployment.status?.conditions?.contains { $0.reason == "ProgressDeadlineExceeded" } == true
                if !exceeded { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(exceeded)

            #expect(try await fixture.reconcile(with: fixture.reconciler(now: Self.at(3))) == .done)
            #expect(try await webImage(fixture) == fixture.image("1.25.3"))
            var handler = try await fixture.handler()
            #expect(handler.status?.rollout == nil)
            #expect(handler.status?.failedTags?.map(\.tag) == ["1.25.4"])
            #expect(handler.status?.failedTags?.first?.reason == "ProgressDeadlineExceeded")
            #expect(handler.condition("Rollout")?.status == "False")
            #expect(handler.condition("Rollout")?.reason == "RolloutFailed")
            #expect(handler.status?.containers?.first?.action == .rolledBack)
            #expect(try await fixture.events().map(\.reason).sorted() == ["RolledBack", "Updated"])
            #expect(try await fixture.events().first { $0.reason == "RolledBack" }?.type == "Warning")

            // The failed tag is not tried again; nothing more is sent.
            for offset in [4.0, 60, 120] {
                #expect(try await fixture.reconcile(with: fixture.reconciler(now: Self.at(offset))) == .done)
            }
            #expect(try await webImage(fixture) == fixture.image("1.25.3"))
            handler = try await fixture.handler()
            #expect(handler.status?.containers?.first?.action == .upToDate)
            #expect(handler.status?.failedTags?.map(\.tag) == ["1.25.4"])
            #expect(try await fixture.events().map(\.reason).sorted() == ["RolledBack", "Updated"])

            // A newer tag still is.
            fixture.registry.setTags(["1.25.3", "1.25.4", "1.25.5"], repository: Fixture.repository)
            #expect(
                try await fixture.reconcile(with: fixture.reconciler(now: Self.at(180)))
                    == .checkAgain(after: .seconds(5)))
            #expect(try await webImage(fixture) == fixture.image("1.25.5"))
            #expect(try await fixture.reconcile(with: fixture.reconciler(now: Self.at(185))) == .done)
            #expect(try await fixture.handler().condition("Rollout")?.status == "True")
        }
    }

    @Test(
        "a rollout the Deployment never finishes: followed without writes, rolled back once its deadline and the grace have passed on the test clock"
    )
    func rolloutTimedOut() async throws {
        try await Fixture.with(tags: ["1.25.3", "1.25.4"], crashLoopImages: ["*/team/web:1.25.4"]) { fixture in
            // The Deployment's own deadline is far away: only the operator's record decides here.
            try await fixture.createDeployment(tag: "1.25.3", progressDeadlineSeconds: 600)
            try await fixture.createHandler()
            #expect(
                try await fixture.reconcile(with: fixture.reconciler(now: Self.at(0)))
                    == .checkAgain(after: .seconds(5)))
            let progressing = try await fixture.handler()
            #expect(progressing.status?.rollout?.deadline.date == Fixture.time.addingTimeInterval(600))
            // Still progressing: looked at again (at the latest when deadline + grace is due), nothing written.
            #expect(
                try await fixture.reconcile(with: fixture.reconciler(now: Self.at(1)))
                    == .checkAgain(after: .seconds(5)))
            #expect(
                try await fixture.reconcile(with: fixture.reconciler(now: Self.at(658)))
                    == .checkAgain(after: .seconds(2)))
            #expect(try await fixture.handler().metadata.resourceVersion == progressing.metadata.resourceVersion)
            #expect(try await webImage(fixture) == fixture.image("1.25.4"))

            #expect(try await fixture.reconcile(with: fixture.reconciler(now: Self.at(660))) == .done)
            #expect(try await webImage(fixture) == fixture.image("1.25.3"))
            let handler = try await fixture.handler()
            #expect(handler.status?.failedTags?.map(\.tag) == ["1.25.4"])
            #expect(handler.status?.failedTags?.first?.reason == "RolloutTimedOut")
            #expect(handler.status?.rollout == nil)
            #expect(handler.condition("Rollout")?.reason == "RolloutFailed")
        }
    }

    @Test("one image change is followed at a time: the other container's update waits for it, then is applied")
    func oneRolloutAtATime() async throws {
        try await Fixture.with(tags: ["1.25.3", "1.25.4"]) { fixture in
            try await fixture.createDeployment(tag: "1.25.3")
            try await fixture.createHandler { $0.containers = ["web", "sidecar"] }
            #expect(
                try await fixture.reconcile(with: fixture.reconciler(now: Self.at(0)))
                    == .checkAgain(after: .seconds(5)))
            var containers = try #require(try await fixture.deployment().spec?.template.spec.containers)
            #expect(containers.map(\.image) == [fixture.image("1.25.4"), fixture.image("1.25.3")])
            let sidecar = try #require(try await fixture.handler().status?.containers?.last)
            #expect(sidecar.action == .held)
            #expect(sidecar.message == "1.25.4 waits for the rollout of container web")
            #expect(try await fixture.reconcile(with: fixture.reconciler(now: Self.at(5))) == .done)
            #expect(
                try await fixture.reconcile(with: fixture.reconciler(now: Self.at(6)))
                    == .checkAgain(after: .seconds(5)))
            containers = try #require(try await fixture.deployment().spec?.template.spec.containers)
            #expect(containers.map(\.image) == [fixture.image("1.25.4"), fixture.image("1.25.4")])
            #expect(try await fixture.handler().status?.rollout?.container == "sidecar")
        }
    }

    @Test(
        "the CRD schema refuses a malformed age or window",
        arguments: [
            #"{"minReleaseAge":"3 days"}"#, #"{"maintenanceWindows":[{"start":"2:00","end":"05:00"}]}"#,
            #"{"maintenanceWindows":[{"start":"02:00","end":"24:30"}]}"#,
            #"{"maintenanceWindows":[{"days":["Funday"],"start":"02:00","end":"05:00"}]}"#,
            #"{"maintenanceWindows":[{"end":"05:00"}]}"#, #"{"rollback":{"enabled":"yes"}}"#,
        ])
    func schemaRefuses(field: String) async throws {
        try await Fixture.with(tags: ["1.25.3"]) { fixture in
            let type = try #require(
                await fixture.emulator.lookup(group: "k8supdater.io", version: "v1", plural: "versioninghandlers"))
            var body = try JSON(parsing: Data(#"{"apiVersion":"k8supdater.io/v1","kind":"VersioningHandler"}"#.utf8))
            body[path: ["metadata", "name"]] = "bad"
            var spec = try JSON(parsing: Data(field.utf8))
            spec["deployment"] = "web"
            spec["containerregistry"] = "oci"
            body["spec"] = spec
            await #expect(throws: (any Error).self) {
                _ = try await fixture.emulator.create(type, namespace: Fixture.namespace, body: body)
            }
            var good = spec
            good["minReleaseAge"] = "72h"
            good["maintenanceWindows"] = [
                ["days": ["Mon", "Sun"], "start": "22:00", "end": "24:00", "timeZone": "UTC"]
            ]
            good["rollback"] = ["enabled": false]
            body["spec"] = good
            _ = try await fixture.emulator.create(type, namespace: Fixture.namespace, body: body)
        }
    }

    @Test("bad spec values are reported as a condition")
    func invalidSpec() async throws {
        try await Fixture.with(tags: ["1.25.3"]) { fixture in
            try await fixture.createDeployment(tag: "1.25.3")
            try await fixture.createHandler {
                $0.maintenanceWindows = [.init(start: "02:00", end: "03:00", timeZone: "Europe/Atlantis")]
            }
            #expect(try await fixture.reconcile(with: fixture.reconciler()) == .retry)
            let ready = try #require(try await fixture.handler().condition("Ready"))
            #expect(ready.status == "False")
            #expect(ready.reason == "InvalidMaintenanceWindow")
            #expect(ready.message?.contains("Europe/Atlantis") == true)
        }
    }
}
