import Foundation
import KubeEmulator
import KubernetesClient
import TestSupport
import Testing
import VersioningAPI

/// Issue 18, end to end: `k8supdater run` against kube-emulator (its kubelet pulls from the real
/// docker-registry and crash-loops the configured image), aiosmtpd for e-mail. Outcomes are asserted,
/// durations never (limits are failure guards only).
@Suite(
    "End to end: safe rollouts", .serialized,
    .requires(.executable("kubectl"), .executable("docker-registry"), .executable("openssl"), .pythonModule("aiosmtpd"))
)
struct RolloutScenarioTests {
    typealias Cluster = EndToEndCluster

    @Test(
        "a pushed tag that crash-loops is rolled back after the progress deadline, status names it, one notification; the next healthy tag is applied"
    )
    func crashLoopRolledBack() async throws {
        try await Cluster.run(crashLoopImages: ["*/team/web:1.2.4"]) { cluster in
            let repository = "\(cluster.registry.host)/team/web"
            try await cluster.seeder.pushImage("team/web", tag: "1.2.3")
            try await cluster.deployWatched("web", image: "\(repository):1.2.3", progressDeadlineSeconds: 10)
            let process = try await cluster.startOperator()
            let upToDate = await Cluster.eventually {
                (try? await cluster.handler("web-updater"))?.status?.containers?.first?.action == .upToDate
            }
            #expect(upToDate, "\(process.output.suffix(3000))")

            try await cluster.seeder.pushImage("team/web", tag: "1.2.4")
            let updated = try await Cluster.eventually {
                try await cluster.image(of: "web", container: "app") == "\(repository):1.2.4"
            }
            #expect(updated, "\(process.output.suffix(3000))")
            let following = try await cluster.handler("web-updater").status?.rollout
            #expect(following?.to == "\(repository):1.2.4")
            #expect(following?.from == "\(repository):1.2.3")
            let wide = try await cluster.kubectl("get", "vh", "web-updater", "-n", "default", "-o", "wide")
            #expect(wide.contains("ROLLING OUT") && wide.contains("\(repository):1.2.4"), "\(wide)")

            // The new Pod never becomes ready; after the deadline the operator restores 1.2.3.
            let rolledBack = try await Cluster.eventually {
                let handler = try await cluster.handler("web-updater")
                return try await cluster.image(of: "web", container: "app") == "\(repository):1.2.3"
                    && handler.status?.failedTags?.contains { $0.tag == "1.2.4" } == true
            }
            #expect(rolledBack, "\(process.output.suffix(6000))")
            let handler = try await cluster.handler("web-updater")
            let condition = handler.status?.conditions?.first { $0.type == "Rollout" }
            #expect(condition?.status == "False")
            #expect(condition?.reason == "RolloutFailed")
            #expect(condition?.message?.contains("1.2.4") == true)
            // Read from the Deployment's Progressing condition, which the workload cache keeps only then.
            #expect(handler.status?.failedTags?.first { $0.tag == "1.2.4" }?.reason == "ProgressDeadlineExceeded")
            #expect(handler.status?.rollout == nil)
            let described = try await cluster.kubectl("describe", "vh", "web-updater", "-n", "default")
            #expect(described.contains("Failed Tags:") && described.contains("RolloutFailed"), "\(described)")
            #expect(
                try await Cluster.eventually {
                    try await cluster.events(about: "web-updater", reason: "RolledBack").count == 1
                })
            #expect(await Cluster.eventually { cluster.mails(mentioning: "Rolled back!").count == 1 })
            // The Deployment recovers on the old ReplicaSet.
            let recovered = try await Cluster.eventually {
                let deployment = try await cluster.admin.get(Deployment.self, name: "web", namespace: "default")
                return deployment.status?.conditions?.contains {
                    $0.type == "Progressing" && $0.reason == "NewReplicaSetAvailable"
                } == true && deployment.status?.availableReplicas == 1 && deployment.status?.updatedReplicas == 1
            }
            #expect(recovered)

            // Later checks never try 1.2.4 again and send nothing more.
            #expect(await SingleReplicaScenarioTests.waitForChecks(process, after: await process.checks(), count: 2))
            #expect(try await cluster.image(of: "web", container: "app") == "\(repository):1.2.3")
            #expect(cluster.mails(mentioning: "Rolled back!").count == 1)

            // A newer, healthy tag is still applied and its rollout recorded.
            try await cluster.seeder.pushImage("team/web", tag: "1.2.5")
            let next = try await Cluster.eventually {
                let handler = try await cluster.handler("web-updater")
                return try await cluster.image(of: "web", container: "app") == "\(repository):1.2.5"
                    && handler.status?.conditions?.contains {
                        $0.type == "Rollout" && $0.status == "True" && $0.message?.contains("1.2.5 rolled out") == true
                    } == true
            }
            #expect(next, "\(process.output.suffix(6000))")
            #expect(cluster.mails(mentioning: "Rolled back!").count == 1)
            #expect(await process.terminate() == 0)
        }
    }

    @Test("a tag younger than minReleaseAge is held with the reason in status; the Deployment is untouched")
    func releaseAgeHeld() async throws {
        try await Cluster.run { cluster in
            let repository = "\(cluster.registry.host)/team/api"
            try await cluster.seeder.pushImage("team/api", tag: "1.0.0")
            try await cluster.deployWatched("api", image: "\(repository):1.0.0", extraSpec: ["minReleaseAge: 72h"])
            let process = try await cluster.startOperator()
            #expect(
                await Cluster.eventually {
                    (try? await cluster.handler("api-updater"))?.status?.containers?.first?.action == .upToDate
                }, "\(process.output.suffix(3000))")
            try await cluster.seeder.pushImage("team/api", tag: "1.0.1", created: Date())
            let held = try await Cluster.eventually {
                try await cluster.handler("api-updater").status?.containers?.first?.action == .held
            }
            #expect(held, "\(process.output.suffix(3000))")
            let message = try await cluster.handler("api-updater").status?.containers?.first?.message
            #expect(message?.hasPrefix("1.0.1 waits until ") == true)
            let listed = try await cluster.kubectl("get", "vh", "api-updater", "-n", "default")
            #expect(listed.contains("Held 1.0.1"))
            #expect(try await cluster.image(of: "api", container: "app") == "\(repository):1.0.0")
            #expect(await process.terminate() == 0)
        }
    }
}
