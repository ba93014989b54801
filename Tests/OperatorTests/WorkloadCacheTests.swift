import Foundation
import KubeEmulator
import KubernetesClient
import Testing
import VersioningAPI

@testable import OperatorCore

/// Checks read the Deployment, its ReplicaSets and Pods from the workload cache (one watch per kind)
/// and find exactly what a read from the API finds.
@Suite("Workload cache")
struct WorkloadCacheTests {
    typealias Fixture = ReconcileFixture

    /// Reads of the workload kinds the emulator served (lists and gets; the cache's watches apart).
    static func workloadReads(_ emulator: Emulator) -> [String: Int] {
        var reads: [String: Int] = [:]
        for (key, count) in emulator.requests.snapshot()
        where ["get", "list"].contains(key.verb) && ["deployments", "replicasets", "pods"].contains(key.resource ?? "")
        {
            reads["\(key.verb) \(key.resource ?? "")", default: 0] += count
        }
        return reads
    }

    /// Creates the Deployment and its VersioningHandler, checks it once through `cache` and expects
    /// a Ready status with the running digest.
    static func checkIsReady(_ fixture: Fixture, cache: WorkloadCache) async throws {
        try await fixture.createDeployment(tag: "1.25.3")
        try await fixture.createHandler()
        _ = try await fixture.reconcile(with: fixture.reconciler(workloadCache: cache))
        let handler = try await fixture.handler()
        #expect(handler.condition("Ready")?.status == "True")
        #expect(handler.status?.containers?.first?.digest != nil)
    }

    @Test(
        "with the cache a check reads no Deployment, ReplicaSet or Pod from the API, and writes the status a direct read writes"
    )
    func checksReadTheCache() async throws {
        try await Fixture.with(tags: ["1.25.3"]) { fixture in
            try await fixture.createDeployment(tag: "1.25.3")
            try await fixture.createHandler()
            _ = try await fixture.reconcile(with: fixture.reconciler())
            let direct = try #require(try await fixture.handler().status?.containers)
            #expect(direct.first?.digest != nil)
            try await fixture.withWorkloadCache { cache in
                fixture.emulator.requests.reset()
                // A later time, so the status is written again (heartbeat) and can be compared.
                let later = Fixture.time.addingTimeInterval(3600)
                _ = try await fixture.reconcile(with: fixture.reconciler(now: { later }, workloadCache: cache))
                #expect(Self.workloadReads(fixture.emulator).isEmpty)
                let handler = try await fixture.handler()
                #expect(handler.status?.containers == direct)
                #expect(handler.status?.lastChecked?.date == later)
            }
        }
    }

    @Test(
        "a Deployment, ReplicaSet and Pods the cache has not seen yet are read from the API: no false DeploymentNotFound"
    )
    func missesReadTheAPI() async throws {
        try await Fixture.with(tags: ["1.25.3"]) { fixture in
            // Listed (synced, empty) but never watching: everything created later is missing from it.
            let cache = WorkloadCache(client: fixture.client())
            cache.deploymentWriter.apply(.initStart)
            cache.deploymentWriter.apply(.initDone)
            cache.replicaSetWriter.apply(.initStart)
            cache.replicaSetWriter.apply(.initDone)
            cache.podWriter.apply(.initStart)
            cache.podWriter.apply(.initDone)
            try await Self.checkIsReady(fixture, cache: cache)
            let reads = Self.workloadReads(fixture.emulator)
            #expect(reads["get deployments", default: 0] >= 1)
            #expect(reads["list replicasets", default: 0] >= 1)
            #expect(reads["list pods", default: 0] >= 1)
        }
    }

    @Test(
        "a cache that cannot list (say, RBAC without list and watch after an upgrade) never stops a check: it reads the API"
    )
    func unsyncedCacheReadsTheAPI() async throws {
        try await Fixture.with(tags: ["1.25.3"]) { fixture in
            // Built but never run: it never lists, as when every list is forbidden.
            let cache = WorkloadCache(client: fixture.client())
            try await Self.checkIsReady(fixture, cache: cache)
            #expect(!cache.isSynced)
        }
    }

    @Test("a Deployment that does not exist is still reported as not found")
    func absentDeployment() async throws {
        try await Fixture.with(tags: ["1.25.3"]) { fixture in
            try await fixture.withWorkloadCache { cache in
                try await fixture.createHandler(deployment: "missing")
                _ = try await fixture.reconcile(with: fixture.reconciler(workloadCache: cache))
                let handler = try await fixture.handler()
                #expect(handler.condition("Ready")?.status == "False")
                #expect(handler.condition("Ready")?.reason == "DeploymentNotFound")
            }
        }
    }

    @Test(
        "cached objects are slim: Deployments without managedFields, annotations, template metadata or a healthy Progressing condition, ReplicaSets without labels, Pods without spec; indexed by their controller"
    )
    func slimAndIndexed() async throws {
        try await Fixture.with(tags: ["1.25.3"]) { fixture in
            try await fixture.withWorkloadCache { cache in
                let created = try await fixture.createDeployment(tag: "1.25.3")
                let uid = try #require(created.metadata.uid)
                var sets: [ReplicaSet] = []
                var pods: [Pod] = []
                for _ in 0..<400 {
                    sets = cache.replicaSets.objects(indexedBy: uid)
                    pods = sets.first?.metadata.uid.map { cache.pods.objects(indexedBy: $0) } ?? []
                    if sets.count == 1, pods.count == 2, cache.deployments.get(ObjectKey(created.metadata)) != nil {
                        break
                    }
                    try await Task.sleep(for: .milliseconds(25))
                }
                let patched = try await fixture.client().patch(
                    Deployment.self, name: "web", namespace: Fixture.namespace,
                    patch: .merge([
                        "metadata": [
                            "annotations": [WorkloadCache.lastApplied: #"{"kind":"Deployment"}"#, "team": "payments"]
                        ]
                    ]))
                for _ in 0..<400 {
                    if cache.deployments.get(ObjectKey(created.metadata))?.metadata.resourceVersion
                        == patched.metadata.resourceVersion
                    {
                        break
                    }
                    try await Task.sleep(for: .milliseconds(25))
                }
                #expect(sets.count == 1)
                #expect(sets.first?.revision == 1)
                #expect(sets.first?.spec == nil)
                #expect(sets.first?.metadata.labels == nil)
                #expect(sets.first?.metadata.ownerReferences?.first?.uid == uid)
                #expect(pods.count == 2)
                #expect(pods.allSatisfy { $0.spec == nil && $0.metadata.managedFields == nil })
                #expect(pods.allSatisfy { $0.status?.containerStatuses?.isEmpty == false })
                let deployment = try #require(cache.deployments.get(ObjectKey(created.metadata)))
                #expect(deployment.metadata.resourceVersion == patched.metadata.resourceVersion)
                #expect(patched.metadata.annotations?["team"] == "payments")
                #expect(deployment.metadata.managedFields == nil)
                #expect(deployment.metadata.annotations == nil && deployment.metadata.labels == nil)
                #expect(deployment.spec?.template.metadata == nil)
                #expect(deployment.spec?.template.spec.containers.first?.name == "web")
                #expect(deployment.spec?.selector?.queryString == created.spec?.selector?.queryString)
                // A rollout in progress or complete: no condition kept (only ProgressDeadlineExceeded is).
                #expect(deployment.status?.conditions == nil)
            }
        }
    }
}
