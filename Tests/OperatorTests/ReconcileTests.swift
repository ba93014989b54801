import Foundation
import KubeEmulator
import KubernetesClient
import OperatorCore
import TestSupport
import Testing
import Updater
import VersioningAPI

@testable import ControllerRuntime

/// `VersioningHandlerReconciler` against the in-process emulator (real ReplicaSets and Pods) and a
/// loopback registry.
@Suite("VersioningHandler reconcile")
struct ReconcileTests {
    typealias Fixture = ReconcileFixture

    @Test("a new patch tag: the container is patched by name, status says Updated, one Event")
    func patchUpdate() async throws {
        try await Fixture.with(tags: ["1.25.3", "1.25.4"]) { fixture in
            try await fixture.createDeployment(tag: "1.25.3")
            try await fixture.createHandler(finalizers: [VersioningHandlerReconciler.kopfFinalizer])
            let action = try await fixture.reconcile(with: fixture.reconciler())
            // Rollback is on by default: the rollout is followed.
            #expect(action == .checkAgain(after: .seconds(5)))
            let deployment = try await fixture.deployment()
            let containers = try #require(deployment.spec?.template.spec.containers)
            #expect(containers.map(\.name) == ["web", "sidecar"])
            #expect(containers[0].image == fixture.image("1.25.4"))
            #expect(containers[1].image == fixture.image("1.25.3"))
            let handler = try await fixture.handler()
            let status = try #require(handler.status)
            #expect(status.summary == "Updated 1.25.4")
            #expect(status.shard == "k8supdater-0")
            #expect(status.observedGeneration == handler.metadata.generation)
            let web = try #require(status.containers?.first)
            #expect(web.name == "web")
            #expect(web.action == .updated)
            #expect(web.current == "1.25.3")
            #expect(web.latestAllowed == "1.25.4")
            #expect(web.digest == RegistryAPIFixture.digest(repository: Fixture.repository, tag: "1.25.3"))
            #expect(handler.condition("Ready")?.status == "True")
            #expect(handler.condition("Degraded")?.status == "False")
            #expect(handler.metadata.finalizers?.contains(VersioningHandlerReconciler.kopfFinalizer) != true)
            let events = try await fixture.events()
            #expect(events.map(\.reason) == ["Updated"])
            #expect(status.notified?.count == 1)
        }
    }

    @Test("containerregistry dockerhub with an image on another registry is looked up there, never on Docker Hub")
    func dockerhubKindOtherRegistry() async throws {
        try await Fixture.with(tags: ["1.25.3", "1.25.4"]) { fixture in
            try await fixture.createDeployment(tag: "1.25.3")
            try await fixture.createHandler(registry: "dockerhub")
            #expect(try await fixture.reconcile(with: fixture.reconciler()) == .checkAgain(after: .seconds(5)))
            #expect(fixture.server.requests.contains { $0.path == "/v2/\(Fixture.repository)/tags/list" })
            let containers = try #require(try await fixture.deployment().spec?.template.spec.containers)
            #expect(containers[0].image == fixture.image("1.25.4"))
            #expect(try await fixture.handler().status?.summary == "Updated 1.25.4")
        }
    }

    @Test("a new major: notified only, the Deployment untouched")
    func newMajorNotifies() async throws {
        try await Fixture.with(tags: ["1.25.3", "2.0.0"]) { fixture in
            let created = try await fixture.createDeployment(tag: "1.25.3")
            try await fixture.createHandler()
            _ = try await fixture.reconcile(with: fixture.reconciler())
            let deployment = try await fixture.deployment()
            #expect(deployment.metadata.generation == created.metadata.generation)
            #expect(deployment.spec?.template == created.spec?.template)
            let handler = try await fixture.handler()
            #expect(handler.status?.containers?.first?.action == .updateAvailable)
            #expect(handler.status?.containers?.first?.latestAvailable == "2.0.0")
            #expect(handler.status?.summary == "Update available 2.0.0")
            #expect(try await fixture.events().map(\.reason) == ["UpdateAvailable"])
            // The next cycle finds the same news: nothing is sent again, nothing written.
            let before = try await fixture.handler().metadata.resourceVersion
            _ = try await fixture.reconcile(with: fixture.reconciler())
            #expect(try await fixture.events().count == 1)
            #expect(try await fixture.handler().metadata.resourceVersion == before)
        }
    }

    @Test("latest rebuilt: restart with latestPreference true, notify with false", arguments: [true, false])
    func latestRebuilt(preference: Bool) async throws {
        try await Fixture.with(tags: ["latest"]) { fixture in
            let old = "sha256:" + String(repeating: "a", count: 64)
            await fixture.runDigests { _, _ in old }
            let created = try await fixture.createDeployment(tag: "latest")
            try await fixture.createHandler()
            _ = try await fixture.reconcile(with: fixture.reconciler(latestPreference: preference))
            let deployment = try await fixture.deployment()
            let annotation = deployment.spec?.template.metadata?.annotations?[
                VersioningHandlerReconciler.restartAnnotation]
            let handler = try await fixture.handler()
            #expect(handler.status?.containers?.first?.digest == old)
            if preference {
                #expect(annotation != nil)
                #expect(handler.status?.containers?.first?.action == .restarted)
                #expect(try await fixture.events().map(\.reason) == ["Restarted"])
            } else {
                #expect(annotation == nil)
                #expect(deployment.metadata.generation == created.metadata.generation)
                #expect(handler.status?.containers?.first?.action == .updateAvailable)
                #expect(try await fixture.events().map(\.reason) == ["UpdateAvailable"])
            }
        }
    }

    @Test("mode NotifyOnly never writes the Deployment")
    func notifyOnly() async throws {
        try await Fixture.with(tags: ["1.25.3", "1.25.4", "latest"]) { fixture in
            let created = try await fixture.createDeployment(tag: "1.25.3")
            try await fixture.createHandler { $0.mode = .notifyOnly }
            _ = try await fixture.reconcile(with: fixture.reconciler(latestPreference: true))
            let deployment = try await fixture.deployment()
            #expect(deployment.metadata.generation == created.metadata.generation)
            #expect(deployment.spec?.template == created.spec?.template)
            let handler = try await fixture.handler()
            #expect(handler.status?.containers?.first?.action == .updateAvailable)
            #expect(try await fixture.events().map(\.reason) == ["UpdateAvailable"])
        }
    }

    @Test("a frontier deeper than the tag keeps updating and says so in a condition")
    func frontierDeeperThanTag() async throws {
        try await Fixture.with(tags: ["1.25.3", "2.0.0"]) { fixture in
            try await fixture.createDeployment(tag: "1.25.3")
            try await fixture.createHandler { $0.frontier = 4 }
            _ = try await fixture.reconcile(with: fixture.reconciler())
            #expect(
                try await fixture.deployment().spec?.template.spec.containers.first?.image == fixture.image("2.0.0"))
            let condition = try #require(try await fixture.handler().condition("FrontierDeeperThanTag"))
            #expect(condition.status == "True")
            #expect(condition.message?.contains("every newer version is applied automatically") == true)
        }
    }

    @Test(
        "invalid specs: Ready=False with an actionable reason, retried; a valid object beside them is checked",
        arguments: [
            ("UnknownRegistryKind", "quay"), ("DeploymentNotFound", "missing"), ("InvalidTagPattern", "("),
            ("InvalidImage", "image"), ("ContainerNotFound", "nope"),
        ])
    func invalidSpecs(reason: String, value: String) async throws {
        try await Fixture.with(tags: ["1.25.3"]) { fixture in
            try await fixture.createDeployment(tag: "1.25.3")
            if reason == "InvalidImage" {
                // A Deployment whose image the API accepts but no registry reference can name.
                _ = try await fixture.client().strategicMergePatch(
                    Deployment.self, name: "web", namespace: Fixture.namespace,
                    patch: ["spec": ["template": ["spec": ["containers": [["name": "web", "image": "Web/UPPER"]]]]]])
            }
            var bad = try await fixture.createHandler(
                "bad", deployment: reason == "DeploymentNotFound" ? value : "web"
            ) { spec in
                if reason == "InvalidTagPattern" { spec.tagPattern = value }
                if reason == "ContainerNotFound" { spec.containers = [value] }
            }
            // The CRD's enum refuses an unknown kind; an object stored under an older schema still has one.
            if reason == "UnknownRegistryKind" { bad.spec.containerregistry = RegistryKind(rawValue: value) }
            try await fixture.createDeployment("other", tag: "1.25.3")
            try await fixture.createHandler("good", deployment: "other")
            let reconciler = fixture.reconciler()
            #expect(try await reconciler.reconcile(bad, context: Fixture.context(bad)) == .retry)
            #expect(try await fixture.reconcile("good", with: reconciler) == .done)
            let stored = try await fixture.handler("bad")
            let ready = try #require(stored.condition("Ready"))
            #expect(ready.status == "False")
            #expect(ready.reason == reason)
            #expect(ready.message?.isEmpty == false)
            #expect(stored.status?.summary == "Invalid: \(reason)")
            #expect(try await fixture.handler("good").condition("Ready")?.status == "True")
            #expect(try await fixture.events().contains { $0.reason == "CheckFailed" && $0.type == "Warning" })
        }
    }

    @Test("a missing Deployment, created later, is picked up at the next check")
    func deploymentCreatedLater() async throws {
        try await Fixture.with(tags: ["1.25.3"]) { fixture in
            try await fixture.createHandler()
            let reconciler = fixture.reconciler()
            #expect(try await fixture.reconcile(with: reconciler) == .retry)
            #expect(try await fixture.handler().condition("Ready")?.reason == "DeploymentNotFound")
            try await fixture.createDeployment(tag: "1.25.3")
            #expect(try await fixture.reconcile(with: reconciler) == .done)
            let handler = try await fixture.handler()
            #expect(handler.condition("Ready")?.status == "True")
            #expect(handler.status?.summary == "Up to date 1.25.3")
        }
    }

    @Test("a stale resourceVersion: the status write is refused and nothing else is written")
    func staleObjectWritesNothing() async throws {
        try await Fixture.with(tags: ["1.25.3", "1.25.4"]) { fixture in
            let created = try await fixture.createDeployment(tag: "1.25.3")
            let stale = try await fixture.createHandler()
            // Another writer changes the object after this replica read it.
            _ = try await fixture.client().patch(
                VersioningHandler.self, name: "web-updater", namespace: Fixture.namespace,
                patch: .merge(["metadata": ["labels": ["k8supdater.io/shard": "k8supdater-1"]]]))
            let current = try await fixture.handler()
            await #expect(throws: ReconcileError.self) {
                _ = try await fixture.reconciler().reconcile(stale, context: Fixture.context(stale))
            }
            #expect(try await fixture.handler().metadata.resourceVersion == current.metadata.resourceVersion)
            let deployment = try await fixture.deployment()
            #expect(deployment.metadata.generation == created.metadata.generation)
            #expect(deployment.spec?.template == created.spec?.template)
            #expect(try await fixture.events().isEmpty)
        }
    }

    @Test("status.notified survives the reconciler's status writes")
    func ledgerSurvives() async throws {
        try await Fixture.with(tags: ["1.25.3", "1.25.4"]) { fixture in
            try await fixture.createDeployment(tag: "1.25.3")
            var handler = try await fixture.createHandler()
            var status = VersioningHandler.Status()
            status.notified = [.init(key: "default/other/web", fingerprint: "f00d", at: KubeTime(Fixture.time))]
            handler.status = status
            _ = try await fixture.client().updateStatus(handler)
            _ = try await fixture.reconcile(with: fixture.reconciler())
            let notified = try await fixture.handler().status?.notified ?? []
            #expect(notified.contains { $0.key == "default/other/web" && $0.fingerprint == "f00d" })
            #expect(try await fixture.handler().status?.summary == "Updated 1.25.4")
        }
    }

    @Test("a quiet cycle writes no status")
    func quietCycle() async throws {
        try await Fixture.with(tags: ["1.25.3"]) { fixture in
            try await fixture.createDeployment(tag: "1.25.3")
            try await fixture.createHandler()
            let reconciler = fixture.reconciler()
            #expect(try await fixture.reconcile(with: reconciler) == .done)
            let first = try await fixture.handler()
            #expect(first.status?.lastChecked != nil)
            #expect(first.status?.containers?.first?.action == .upToDate)
            #expect(try await fixture.reconcile(with: reconciler) == .done)
            #expect(try await fixture.handler().metadata.resourceVersion == first.metadata.resourceVersion)
            #expect(try await fixture.events().isEmpty)
        }
    }

    @Test("an unchanged status is written again only to refresh lastChecked, after the 5-minute heartbeat")
    func heartbeat() async throws {
        try await Fixture.with(tags: ["1.25.3"]) { fixture in
            try await fixture.createDeployment(tag: "1.25.3")
            try await fixture.createHandler()
            _ = try await fixture.reconcile(with: fixture.reconciler())
            let first = try await fixture.handler()
            _ = try await fixture.reconcile(with: fixture.reconciler(now: { Fixture.time + 299 }))
            #expect(try await fixture.handler().metadata.resourceVersion == first.metadata.resourceVersion)
            _ = try await fixture.reconcile(with: fixture.reconciler(now: { Fixture.time + 301 }))
            let refreshed = try await fixture.handler()
            #expect(refreshed.metadata.resourceVersion != first.metadata.resourceVersion)
            #expect(refreshed.status?.lastChecked == KubeTime(Fixture.time + 301))
            #expect(refreshed.status?.containers == first.status?.containers)
            #expect(refreshed.status?.conditions == first.status?.conditions)
        }
    }

    @Test("objects watching one repository share one registry lookup per cycle")
    func sharedLookup() async throws {
        try await Fixture.with(tags: ["1.25.3", "1.25.4"]) { fixture in
            try await fixture.createDeployment("web", tag: "1.25.3")
            try await fixture.createDeployment("other", tag: "1.25.3")
            try await fixture.createHandler("first", deployment: "web")
            try await fixture.createHandler("second", deployment: "other")
            let reconciler = fixture.reconciler()
            _ = try await fixture.reconcile("first", with: reconciler)
            _ = try await fixture.reconcile("second", with: reconciler)
            let tagLists = fixture.server.requests.filter { $0.path.hasSuffix("/tags/list") }
            #expect(tagLists.count == 1)
            for name in ["web", "other"] {
                let image = try await fixture.deployment(name).spec?.template.spec.containers.first?.image
                #expect(image == fixture.image("1.25.4"))
            }
        }
    }

    @Test("a lookup serves every check of its repository for the object's whole interval, then is made again")
    func lookupLastsTheInterval() async throws {
        try await Fixture.with(tags: ["1.25.3"]) { fixture in
            try await fixture.createDeployment("web", tag: "1.25.3")
            try await fixture.createDeployment("other", tag: "1.25.3")
            try await fixture.createHandler("first", deployment: "web") { $0.refreshSeconds = 60 }
            try await fixture.createHandler("second", deployment: "other") { $0.refreshSeconds = 60 }
            let clock = ManualClock()
            let reconciler = fixture.reconciler(registryClock: RegistryClock(clock))
            func tagLists() -> Int { fixture.server.requests.filter { $0.path.hasSuffix("/tags/list") }.count }
            _ = try await fixture.reconcile("first", with: reconciler)
            #expect(tagLists() == 1)
            // Three quarters of the interval later the lookup still serves the other object's check.
            await clock.advance(by: .seconds(45))
            _ = try await fixture.reconcile("second", with: reconciler)
            #expect(tagLists() == 1)
            // Older than the interval: looked up again.
            await clock.advance(by: .seconds(16))
            _ = try await fixture.reconcile("first", with: reconciler)
            #expect(tagLists() == 2)
        }
    }

    @Test("registry credentials come from the Deployment's imagePullSecrets in the object's namespace")
    func pullSecretCredentials() async throws {
        try await Fixture.with(tags: ["1.25.3"]) { fixture in
            try await fixture.createDeployment(tag: "1.25.3")
            try await fixture.usePullSecret()
            let handler = try await fixture.createHandler()
            let http = RegistryHTTPClient(transport: fixture.transport)
            let registries = RegistryClients(http: http, window: .seconds(300))
            let result = await CheckTarget.resolve(
                handler, client: fixture.client(), registries: registries,
                settings: ReconcileSettings(shard: "k8supdater-0", insecureRegistries: [fixture.registryHost]))
            let target = try result.get()
            let credentials = try #require(target.credentials.credentials(forHost: fixture.registryHost))
            #expect(credentials.username == "robot")
            #expect(credentials.password == "s3cret")
        }
    }

    @Test(
        "the Secrets checks name are read once per interval, however many checks name them; a missing one is remembered for 30 s at most"
    )
    func secretsReadOncePerInterval() async throws {
        try await Fixture.with(tags: ["1.25.3"]) { fixture in
            try await fixture.createDeployment("web", tag: "1.25.3")
            try await fixture.createDeployment("other", tag: "1.25.3")
            try await fixture.usePullSecret(on: ["web", "other"], extra: ["absent"])
            try await fixture.createHandler("first", deployment: "web") { $0.refreshSeconds = 60 }
            try await fixture.createHandler("second", deployment: "other") { $0.refreshSeconds = 60 }
            let clock = ManualClock()
            let secrets = SecretCache(clock: RegistryClock(clock))
            let reconciler = fixture.reconciler(registryClock: RegistryClock(clock), secrets: secrets)
            func secretReads() -> Int {
                fixture.emulator.requests.snapshot().filter { $0.key.verb == "get" && $0.key.resource == "secrets" }
                    .values.reduce(0, +)
            }
            fixture.emulator.requests.reset()
            _ = try await fixture.reconcile("first", with: reconciler)
            #expect(secretReads() == 2)
            await clock.advance(by: .seconds(20))
            _ = try await fixture.reconcile("second", with: reconciler)
            #expect(secretReads() == 2)
            // The remembered Secret still gives the credentials.
            let target = try await CheckTarget.resolve(
                fixture.handler("second"), client: fixture.client(), secrets: secrets,
                registries: RegistryClients(
                    http: RegistryHTTPClient(transport: fixture.transport), window: .seconds(300)),
                settings: ReconcileSettings(shard: "k8supdater-0", insecureRegistries: [fixture.registryHost])
            ).get()
            #expect(target.credentials.credentials(forHost: fixture.registryHost)?.username == "robot")
            #expect(secretReads() == 2)
            // "Does not exist" is remembered for 30 s at most (creating it is picked up soon); the
            // Secret read is not.
            await clock.advance(by: .seconds(15))
            _ = try await fixture.reconcile("second", with: reconciler)
            #expect(secretReads() == 3)
            // Older than the interval: read again (a rotated secret is used within one interval).
            await clock.advance(by: .seconds(26))
            _ = try await fixture.reconcile("first", with: reconciler)
            #expect(secretReads() == 4)
        }
    }

    @Test(
        "running digests come from the Pods of the newest ReplicaSet only (read from the API, and from the watch cache)",
        arguments: [false, true])
    func runningDigestsFromCurrentReplicaSet(cached: Bool) async throws {
        try await Fixture.with(tags: ["1.25.3", "1.25.4"]) { fixture in
            try await fixture.withWorkloadCache { cache in
                let reader: WorkloadReader = cached ? .cache(cache, client: fixture.client()) : .api(fixture.client())
                try await fixture.createDeployment(tag: "1.25.3")
                _ = try await fixture.client().strategicMergePatch(
                    Deployment.self, name: "web", namespace: Fixture.namespace,
                    patch: [
                        "spec": [
                            "template": [
                                "spec": ["containers": [["name": "web", "image": .string(fixture.image("1.25.4"))]]]
                            ]
                        ]
                    ])
                let newDigest = try ImageDigest(
                    parsing: RegistryAPIFixture.digest(repository: Fixture.repository, tag: "1.25.4"))
                var running = RunningDigests()
                for _ in 0..<400 {
                    running = try await RunningDigests.read(for: try await fixture.deployment(), reader: reader)
                    if running.byContainer["web"] == [newDigest] { break }
                    try await Task.sleep(for: .milliseconds(25))
                }
                #expect(running.byContainer["web"] == [newDigest])
                let sets = try await fixture.client().list(ReplicaSet.self, in: .named(Fixture.namespace)).items
                let newest = sets.max { ($0.revision ?? 0) < ($1.revision ?? 0) }
                #expect(running.replicaSet == newest?.metadata.name)
                #expect(sets.count == 2)
            }
        }
    }

    @Test("an object of the original being deleted loses the Kopf finalizer, so the delete completes")
    func kopfFinalizerOnDelete() async throws {
        try await Fixture.with(tags: ["1.25.3"]) { fixture in
            try await fixture.createDeployment(tag: "1.25.3")
            try await fixture.createHandler(finalizers: [VersioningHandlerReconciler.kopfFinalizer])
            try await fixture.client().delete(VersioningHandler.self, name: "web-updater", namespace: Fixture.namespace)
            let deleting = try await fixture.handler()
            #expect(deleting.metadata.deletionTimestamp != nil)
            #expect(try await fixture.reconcile(with: fixture.reconciler()) == .done)
            await #expect(throws: KubernetesError.self) { _ = try await fixture.handler() }
        }
    }

    @Test("a repository the registry does not know: Error with the registry's reason, Degraded, retried")
    func registryFailure() async throws {
        try await Fixture.with(tags: ["1.25.3"]) { fixture in
            try await fixture.createDeployment(tag: "1.25.3")
            _ = try await fixture.client().strategicMergePatch(
                Deployment.self, name: "web", namespace: Fixture.namespace,
                patch: [
                    "spec": [
                        "template": [
                            "spec": [
                                "containers": [
                                    ["name": "web", "image": .string("\(fixture.registryHost)/team/gone:1.0.0")]
                                ]
                            ]
                        ]
                    ]
                ])
            try await fixture.createHandler()
            #expect(try await fixture.reconcile(with: fixture.reconciler()) == .retry)
            let handler = try await fixture.handler()
            #expect(handler.status?.containers?.first?.action == .error)
            #expect(handler.condition("Degraded")?.status == "True")
            #expect(handler.condition("Ready")?.status == "False")
            #expect(handler.status?.summary?.hasPrefix("Error: ") == true)
            #expect(try await fixture.events().map(\.reason) == ["CheckFailed"])
        }
    }
}
