import ControllerRuntime
import Foundation
import JSONModel
import KubeEmulator
import KubernetesClient
import Logging
import MetricsTestKit
import ServiceLifecycleTestKit
import Synchronization
import TestSupport
import Testing
import Transport
import Updater
import VersioningAPI
import Yams

/// The repository's VersioningHandler CustomResourceDefinition (`apiextensions.k8s.io/v1`), carried opaquely.
struct VersioningHandlerCRD: KubernetesResource {
    static let resourceType = ResourceType(
        group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions",
        kind: "CustomResourceDefinition", isNamespaced: false)
    var apiVersion: String?
    var kind: String?
    var metadata: ObjectMeta
    var spec: JSON

    /// The repository's VersioningHandler CRD (yamls/crd/versioninghandlers.yaml).
    static func load() throws -> VersioningHandlerCRD {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let yaml = try String(
            contentsOf: root.appendingPathComponent("yamls/crd/versioninghandlers.yaml"), encoding: .utf8)
        return try YAMLDecoder().decode(VersioningHandlerCRD.self, from: yaml)
    }
}

@Suite("Controller over a real informer on the emulator")
struct ControllerEmulatorTests {
    struct Seen: Sendable, Hashable {
        var name: String
        var generation: Int64?
        var refreshSeconds: Int?
    }

    /// Watch events drive reconciles; a reconcile that starts after several updates sees the newest
    /// object; relabelling the object out of the informer's selector ("no longer owned") cancels its
    /// in-flight reconcile.
    @Test("events drive reconciles with the latest object; leaving the selector cancels")
    func eventsDriveReconciles() async throws {
        let emulator = Emulator()
        let client = KubernetesClient(
            configuration: ClientConfiguration(
                server: Emulator.inProcessBaseURL, auth: BearerTokenAuth(token: emulator.adminToken),
                namespace: "default",
                flowControl: .init(qps: 1000, burst: 1000, maxRetries: 3, retryBaseDelay: .milliseconds(10))),
            transport: emulator.transport)
        _ = try await client.create(VersioningHandlerCRD.load())
        _ = try await client.create(
            VersioningHandler(
                metadata: ObjectMeta(name: "web", labels: ["k8supdater.io/shard": "me"]),
                spec: .init(deployment: "web", containerregistry: .dockerhub)))

        let seen = Mutex<[Seen]>([])
        let ended = Mutex<StopReason??>(nil)
        let gate = AsyncSignal()
        let watcher = Watcher(
            client: client, VersioningHandler.self, in: "default",
            configuration: WatcherConfiguration(
                labelSelector: "k8supdater.io/shard=me", pageSize: 10, watchTimeoutSeconds: 60,
                backoff: Backoff(initialDelay: .milliseconds(20), maxDelay: .milliseconds(200))),
            clock: ContinuousClock())
        let controller = Controller(
            reconciler: ReconcileFunction<VersioningHandler> { handler, context in
                let generation = handler.metadata.generation
                seen.withLock {
                    $0.append(
                        Seen(
                            name: handler.metadata.name ?? "", generation: generation,
                            refreshSeconds: handler.spec.refreshSeconds))
                }
                if generation == 2 { await gate.wait() }
                if generation == 4 {
                    try? await Task.sleep(for: .seconds(600))
                    ended.withLock { $0 = .some(context.cancellationReason) }
                }
                return .done
            },
            watcher: watcher,
            configuration: ControllerConfiguration(
                name: "vh", queue: WorkQueueConfiguration(maxConcurrent: 2), drainTimeout: .seconds(5)),
            clock: ContinuousClock(), logger: RuntimeFixture.quietLogger, metricsFactory: TestMetrics())

        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await controller.run() }
                let generations = { seen.withLock { $0.map(\.generation) } }
                #expect(await RuntimeFixture.eventually { generations() == [1] })

                var handler = try await client.get(VersioningHandler.self, name: "web")
                handler.spec.refreshSeconds = 60
                handler = try await client.update(handler)
                #expect(await RuntimeFixture.eventually { generations() == [1, 2] })

                // While generation 2 is being reconciled, two more spec changes arrive.
                for seconds in [120, 180] {
                    handler.spec.refreshSeconds = seconds
                    handler = try await client.update(handler)
                }
                #expect(handler.metadata.generation == 4)
                #expect(await RuntimeFixture.eventually { controller.store.get(handler.key)?.metadata.generation == 4 })
                gate.fire()
                #expect(await RuntimeFixture.eventually { seen.withLock { $0.count } == 3 })
                #expect(seen.withLock { $0.last } == Seen(name: "web", generation: 4, refreshSeconds: 180))

                // Generation 4's reconcile is in flight; the object leaves this replica's selector.
                handler.metadata.labels = ["k8supdater.io/shard": "other"]
                _ = try await client.update(handler)
                #expect(await RuntimeFixture.eventually { ended.withLock { $0 } != nil })
                #expect(ended.withLock { $0 } == .some(.deleted))
                #expect(await RuntimeFixture.eventually { controller.status().inFlight == 0 })
                #expect(controller.store.get(handler.key) == nil)
                #expect(seen.withLock { $0.count } == 3)

                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(controller.drainReport == DrainReport())
    }
}
