import Foundation
import KubeEmulator
import KubernetesClient
import TestSupport
import Testing
import VersioningAPI

/// Issue 15 item 7, one replica: `k8supdater run` as the StatefulSet's Pod would run it, against
/// kube-emulator with the yamls applied (RBAC enforced for the ServiceAccount token), the real
/// docker-registry and aiosmtpd. Objects are checked every 10 s (`spec.refreshSeconds`, the minimum);
/// outcomes are asserted, durations never (limits are failure guards only).
@Suite(
    "End to end: one replica", .serialized,
    .requires(.executable("kubectl"), .executable("docker-registry"), .executable("openssl"), .pythonModule("aiosmtpd"))
)
struct SingleReplicaScenarioTests {
    typealias Cluster = EndToEndCluster

    static func ready(_ handler: VersioningHandler) -> Bool {
        handler.status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } == true
    }

    /// Waits until the operator has completed `count` more checks than `after`.
    static func waitForChecks(_ process: OperatorProcess, after: Double, count: Double) async -> Bool {
        await Cluster.eventually { await process.checks() >= after + count }
    }

    @Test(
        "a new patch tag updates the Deployment at the next check: status, an Event and exactly one e-mail, none again on later cycles or after a restart"
    )
    func patchUpdate() async throws {
        try await Cluster.run { cluster in
            let repository = "\(cluster.registry.host)/team/web"
            try await cluster.seeder.pushImage("team/web", tag: "1.2.3")
            try await cluster.deployWatched("web", image: "\(repository):1.2.3")
            var process = try await cluster.startOperator()
            let upToDate = await Cluster.eventually {
                let handler = try? await cluster.handler("web-updater")
                return handler.map(Self.ready) == true && handler?.status?.containers?.first?.action == .upToDate
            }
            #expect(upToDate, "\(process.output.suffix(3000))")
            #expect(try await cluster.handler("web-updater").status?.shard == "k8supdater-0")

            let pushed = try await cluster.seeder.pushImage("team/web", tag: "1.2.4")
            let updated = try await Cluster.eventually {
                try await cluster.image(of: "web", container: "app") == "\(repository):1.2.4"
            }
            #expect(updated, "\(process.output.suffix(3000))")
            let handler = try await cluster.handler("web-updater")
            #expect(handler.status?.containers?.first?.action == .updated)
            #expect(handler.status?.summary == "Updated 1.2.4")
            let event = try await Cluster.eventually {
                try await !cluster.events(about: "web-updater", reason: "Updated").isEmpty
            }
            #expect(event)
            #expect(await Cluster.eventually { cluster.mails(mentioning: "1.2.4").count == 1 })
            // The new Pods run what the registry serves for 1.2.4.
            let running = try await Cluster.eventually {
                let pods = try await cluster.admin.list(Pod.self, in: .named("default")).items.filter {
                    $0.metadata.labels?["app"] == "web" && $0.status?.phase == "Running"
                }
                return pods.count == 1
                    && pods[0].status?.containerStatuses?.first?.imageID == "\(repository)@\(pushed.digest)"
            }
            #expect(running)

            // Two more checks: still one e-mail, one Updated Event.
            #expect(await Self.waitForChecks(process, after: await process.checks(), count: 2))
            #expect(cluster.mails(mentioning: "1.2.4").count == 1)
            #expect(try await cluster.events(about: "web-updater", reason: "Updated").count == 1)

            // A restarted operator reads the running digests and the ledger from the cluster: no new e-mail.
            #expect(await process.terminate() == 0, "\(process.output.suffix(3000))")
            process = try await cluster.startOperator()
            #expect(await Self.waitForChecks(process, after: 0, count: 2), "\(process.output.suffix(3000))")
            #expect(cluster.mails(mentioning: "1.2.4").count == 1)
            #expect(try await cluster.image(of: "web", container: "app") == "\(repository):1.2.4")
            #expect(await process.terminate() == 0)
        }
    }

    @Test("a new major version is notified only: the Deployment is untouched")
    func majorNotifies() async throws {
        try await Cluster.run { cluster in
            let repository = "\(cluster.registry.host)/team/api"
            try await cluster.seeder.pushImage("team/api", tag: "1.2.3")
            try await cluster.deployWatched("api", image: "\(repository):1.2.3")
            let process = try await cluster.startOperator()
            #expect(
                try await Cluster.eventually { (try? await cluster.handler("api-updater")).map(Self.ready) == true },
                "\(process.output.suffix(3000))")
            let before = try await cluster.admin.get(Deployment.self, name: "api", namespace: "default")
            try await cluster.seeder.pushImage("team/api", tag: "2.0.0")
            let notified = try await Cluster.eventually {
                try await cluster.handler("api-updater").status?.containers?.first?.action == .updateAvailable
            }
            #expect(notified, "\(process.output.suffix(3000))")
            #expect(try await cluster.handler("api-updater").status?.containers?.first?.latestAvailable == "2.0.0")
            #expect(
                try await Cluster.eventually {
                    try await !cluster.events(about: "api-updater", reason: "UpdateAvailable").isEmpty
                }, "\(process.output.suffix(6000))")
            #expect(await Cluster.eventually { cluster.mails(mentioning: "2.0.0").count == 1 })
            #expect(await Self.waitForChecks(process, after: await process.checks(), count: 2))
            let after = try await cluster.admin.get(Deployment.self, name: "api", namespace: "default")
            #expect(after.metadata.generation == before.metadata.generation)
            #expect(try await cluster.image(of: "api", container: "app") == "\(repository):1.2.3")
            #expect(cluster.mails(mentioning: "2.0.0").count == 1)
            #expect(await process.terminate() == 0)
        }
    }

    @Test("latest rebuilt: restarted with LATEST_PREFERENCE=true, notified only with false", arguments: [true, false])
    func latestRebuilt(preference: Bool) async throws {
        try await Cluster.run { cluster in
            try await cluster.kubectl(
                "set", "env", "statefulset/k8supdater", "-n", Cluster.namespace, "LATEST_PREFERENCE=\(preference)")
            let repository = "\(cluster.registry.host)/team/app"
            let first = try await cluster.seeder.pushImage("team/app", tag: "latest", build: "1")
            try await cluster.deployWatched("app", image: "\(repository):latest")
            // The Pod runs the first build before the operator looks (its running digest comes from the Pod).
            #expect(
                try await Cluster.eventually {
                    try await cluster.admin.list(Pod.self, in: .named("default")).items.contains {
                        $0.status?.containerStatuses?.first?.imageID == "\(repository)@\(first.digest)"
                    }
                })
            let process = try await cluster.startOperator()
            #expect(
                try await Cluster.eventually { (try? await cluster.handler("app-updater")).map(Self.ready) == true },
                "\(process.output.suffix(3000))")
            let second = try await cluster.seeder.pushImage("team/app", tag: "latest", build: "2")
            if preference {
                let restarted = try await Cluster.eventually {
                    let deployment = try await cluster.admin.get(Deployment.self, name: "app", namespace: "default")
                    return deployment.spec?.template.metadata?.annotations?["kubectl.kubernetes.io/restartedAt"] != nil
                }
                #expect(restarted, "\(process.output.suffix(3000))")
                #expect(
                    try await Cluster.eventually {
                        try await !cluster.events(about: "app-updater", reason: "Restarted").isEmpty
                    })
                // The restart made new Pods, which pulled the rebuilt image.
                #expect(
                    try await Cluster.eventually {
                        let pods = try await cluster.admin.list(Pod.self, in: .named("default")).items.filter {
                            $0.metadata.labels?["app"] == "app" && $0.status?.phase == "Running"
                        }
                        return pods.count == 1
                            && pods[0].status?.containerStatuses?.first?.imageID == "\(repository)@\(second.digest)"
                    })
                #expect(await Cluster.eventually { cluster.mails(mentioning: "latest").count == 1 })
            } else {
                let notified = try await Cluster.eventually {
                    try await cluster.handler("app-updater").status?.containers?.first?.action == .updateAvailable
                }
                #expect(notified, "\(process.output.suffix(3000))")
                #expect(
                    try await Cluster.eventually {
                        try await !cluster.events(about: "app-updater", reason: "UpdateAvailable").isEmpty
                    })
                #expect(await Cluster.eventually { cluster.mails(mentioning: "latest").count == 1 })
                #expect(await Self.waitForChecks(process, after: await process.checks(), count: 2))
                let deployment = try await cluster.admin.get(Deployment.self, name: "app", namespace: "default")
                #expect(deployment.spec?.template.metadata?.annotations?["kubectl.kubernetes.io/restartedAt"] == nil)
                #expect(cluster.mails(mentioning: "latest").count == 1)
            }
            #expect(await process.terminate() == 0)
        }
    }
}
