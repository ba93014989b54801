import Coordination
import Foundation
import KubernetesClient
import LocalCluster
import LoopbackFixtures
import VersioningAPI

#if canImport(Glibc)
    import Glibc
#endif

/// The scenario `make demo` plays, step by step, each with its expected outcome and what was observed:
/// replicas up, applications installed and assigned, a patch updated, a major notified, a rebuilt
/// `latest` restarted, the monitoring kit's metrics exported, a replica killed (`kill -9`) and its
/// objects taken over, the StatefulSet scaled to 4 (rebalanced), a broken object (a clear condition,
/// the others unaffected).
struct DemoScenario {
    let cluster: DemoCluster
    var steps: DemoStepRunner

    init(cluster: DemoCluster, stepLimit: Duration, table: DemoTableWatcher) {
        self.cluster = cluster
        steps = DemoStepRunner(
            limit: stepLimit, diagnostics: { await cluster.replicaLogs() }, observed: { await table.printIfChanged() })
    }

    static func pods(_ count: Int) -> [String] { (0..<count).map { "k8supdater-\($0)" } }

    /// The objects not yet where they belong: each must be labelled for its rendezvous owner among
    /// `live`, with no drain pending, and checked by it (`status.shard`).
    static func misplaced(_ handlers: [VersioningHandler], among live: [String]) -> [String] {
        handlers.filter { handler in
            let key = Rendezvous.key(VersioningHandler.resourceType, ObjectKey(handler.metadata))
            guard let owner = try? Rendezvous.owner(of: key, among: live) else { return true }
            let labels = handler.metadata.labels ?? [:]
            return labels[ShardLabels.shard] != owner || labels[ShardLabels.drain] != nil
                || handler.status?.shard != owner
        }.map(name)
    }

    static func name(_ handler: VersioningHandler) -> String {
        "\(handler.metadata.namespace ?? "")/\(handler.metadata.name ?? "")"
    }

    static func isReady(_ handler: VersioningHandler) -> Bool {
        handler.status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } == true
    }

    /// `k8supdater-0 owns 4 (shop/web, …), …`
    static func shares(_ handlers: [VersioningHandler], among live: [String]) -> String {
        live.map { pod in
            let owned = handlers.filter { $0.status?.shard == pod }.map { $0.metadata.name ?? "" }
            return "\(pod) owns \(owned.count) (\(owned.joined(separator: ", ")))"
        }.joined(separator: "; ")
    }

    static func short(_ digest: String) -> String {
        let hex = digest.split(separator: "@").last.map(String.init) ?? digest
        return String(hex.prefix(19)) + "…"
    }

    func workload(_ name: String) -> DemoWorkload {
        DemoWorkload.all.first { $0.name == name } ?? DemoWorkload.all[0]
    }

    mutating func play() async throws {
        let cluster = cluster
        let registry = cluster.registryHost

        try await steps.step(
            "three replicas start",
            expected: "3 `k8supdater run` processes (the StatefulSet's Pods) ready: each holds its own Lease; one "
                + "is elected coordinator"
        ) {
            let ready = await cluster.readyReplicas()
            let coordinator = await cluster.coordinator()
            let text = ready.map { "\($0.name) (pid \($0.processID ?? 0))" }.joined(separator: ", ")
            guard ready.count == 3, let coordinator else {
                return .waiting("ready: \(text.isEmpty ? "none" : text); coordinator: \(coordinator ?? "none")")
            }
            return .observed("\(text) ready; coordinator: \(coordinator)")
        }

        let all = DemoWorkload.all
        try await steps.step(
            "install the applications",
            expected: "\(all.count) images pushed to the registry; \(all.count) Deployments and "
                + "VersioningHandlers in shop and payments (kubectl apply); each object assigned to one replica "
                + "(rendezvous hashing), checked, Ready and up to date",
            act: {
                for workload in all {
                    for tag in workload.tags {
                        _ = try await cluster.registry.push(workload.repository, tag, "1")
                    }
                }
                let path = "\(cluster.directory)/applications.yaml"
                try DemoWorkload.manifests(registry: registry).write(toFile: path, atomically: true, encoding: .utf8)
                try await cluster.kubectl.run("apply", "-f", path)
            },
            observe: {
                let handlers = try await cluster.handlers()
                let upToDate = handlers.filter {
                    Self.isReady($0) && $0.status?.containers?.first?.action == .upToDate
                }
                let misplaced = Self.misplaced(handlers, among: Self.pods(3))
                guard handlers.count == all.count, upToDate.count == all.count, misplaced.isEmpty else {
                    return .waiting(
                        "\(upToDate.count) of \(all.count) up to date; not yet with their owner: "
                            + misplaced.joined(separator: ", ")
                    )
                }
                return .observed("all \(all.count) up to date; " + Self.shares(handlers, among: Self.pods(3)))
            })

        let web = workload("web")
        let webTag = "1.2.4"
        var webDigest = ""
        try await steps.step(
            "a patch release: \(web.repository):\(webTag) pushed",
            expected: "at its next check (every \(DemoWorkload.refreshSeconds) s) shop/web is updated to \(webTag) "
                + "(VERSIONS_FRONTIER=2: the change is right of the frontier); its new Pod runs the pushed digest; "
                + "an Updated Event and one e-mail",
            act: { webDigest = try await cluster.registry.push(web.repository, webTag, "1") },
            observe: {
                let image = try await cluster.image(of: web)
                let running = try await cluster.runningImageIDs(of: web)
                let events = try await cluster.events(about: web.name, namespace: web.namespace, reason: "Updated")
                let mails = cluster.mails(mentioning: webTag)
                let handler = try await cluster.handler(web)
                let seen =
                    "image \(image ?? "-"); Pods run \(running.map(Self.short)); \(events.count) Updated Event(s); "
                    + "\(mails) e-mail(s)"
                guard image == web.image(registry: registry, tag: webTag),
                    running == ["\(registry)/\(web.repository)@\(webDigest)"], !events.isEmpty, mails >= 1
                else { return .waiting(seen) }
                return .observed(
                    "Deployment shop/web now runs \(webTag) (written by \(handler.status?.shard ?? "-")); its new Pod runs "
                        + "\(Self.short(webDigest)); Event Updated; \(mails) e-mail to \(DemoCluster.recipient)")
            })

        let api = workload("api")
        let apiTag = "2.0.0"
        try await steps.step(
            "a major release: \(api.repository):\(apiTag) pushed",
            expected: "shop/api is only notified (the change is left of the frontier): status \"Update available "
                + "\(apiTag)\", an UpdateAvailable Event and one e-mail; the Deployment keeps \(api.runningTag)",
            act: { _ = try await cluster.registry.push(api.repository, apiTag, "1") },
            observe: {
                let handler = try await cluster.handler(api)
                let container = handler.status?.containers?.first
                let events = try await cluster.events(
                    about: api.name, namespace: api.namespace, reason: "UpdateAvailable")
                let mails = cluster.mails(mentioning: apiTag)
                let image = try await cluster.image(of: api)
                let seen =
                    "status \"\(handler.status?.summary ?? "-")\"; \(events.count) UpdateAvailable Event(s); \(mails) "
                    + "e-mail(s); image \(image ?? "-")"
                guard container?.action == .updateAvailable, container?.latestAvailable == apiTag, !events.isEmpty,
                    mails >= 1, image == api.image(registry: registry)
                else { return .waiting(seen) }
                return .observed(
                    "status \"\(handler.status?.summary ?? "")\" (by \(handler.status?.shard ?? "-")); Event "
                        + "UpdateAvailable; \(mails) e-mail; Deployment shop/api still runs \(api.runningTag)")
            })

        let worker = workload("worker")
        var workerDigest = ""
        try await steps.step(
            "latest rebuilt: \(worker.repository):latest pushed again with new content",
            expected: "payments/worker (spec.latestPreference: true) is restarted: new Pods that run the rebuilt "
                + "digest, a Restarted Event",
            act: {
                workerDigest = try await cluster.registry.push(worker.repository, "latest", "2")
            },
            observe: {
                let deployment = try await cluster.deployment(of: worker)
                let restartedAt = deployment.spec?.template.metadata?.annotations?["kubectl.kubernetes.io/restartedAt"]
                let running = try await cluster.runningImageIDs(of: worker)
                let events = try await cluster.events(
                    about: worker.name, namespace: worker.namespace, reason: "Restarted")
                let seen =
                    "restartedAt \(restartedAt ?? "-"); Pods run \(running.map(Self.short)); "
                    + "\(events.count) Restarted Event(s)"
                guard restartedAt != nil, running == ["\(registry)/\(worker.repository)@\(workerDigest)"],
                    !events.isEmpty
                else { return .waiting(seen) }
                return .observed(
                    "restarted (kubectl.kubernetes.io/restartedAt \(restartedAt ?? "")); its new Pod runs the rebuilt "
                        + "\(Self.short(workerDigest)); Event Restarted")
            })

        // Before a replica is killed (its counters go with it): every family has been exported by now.
        let queried = try MonitoringKit.queriedMetrics(repositoryRoot: cluster.repositoryRoot)
        try await steps.step(
            "metrics: the monitoring kit (yamls/monitoring) against the replicas' /metrics",
            expected: "every metric the Grafana dashboard and the PrometheusRule query (\(queried.count)) is exported "
                + "by the replicas"
        ) {
            var exported: Set<String> = []
            for pod in await cluster.readyReplicas() {
                if let text = await cluster.metrics(of: pod) { exported.formUnion(MonitoringKit.sampleNames(in: text)) }
            }
            let missing = queried.subtracting(exported).sorted()
            guard missing.isEmpty else { return .waiting("not exported: \(missing.joined(separator: ", "))") }
            return .observed("all \(queried.count) exported: \(queried.sorted().joined(separator: ", "))")
        }

        // The replica owning the most objects is killed.
        let before = try await cluster.handlers()
        let ready = await cluster.readyReplicas().map(\.name)
        let victim =
            ready.max { a, b in
                (before.count { $0.status?.shard == a }, b) < (before.count { $0.status?.shard == b }, a)
            } ?? "k8supdater-0"
        let survivors = Self.pods(3).filter { $0 != victim }
        let victimObjects = before.filter { $0.status?.shard == victim }
        try await steps.step(
            "kill -9 \(victim) (it owns \(victimObjects.count) objects)",
            expected: "its objects (\(victimObjects.map(Self.name).joined(separator: ", "))) are taken over by "
                + "\(survivors.joined(separator: " and ")) once its Lease expires (lease 6 s + grace 3 s), each by "
                + "its rendezvous owner among the survivors; the others stay where they are",
            act: {
                guard let pid = await cluster.runner.pod(named: victim)?.processID else {
                    throw DemoFailure("\(victim) has no running process")
                }
                DemoOutput.say("   kill -9 \(pid)")
                kill(pid, SIGKILL)
            },
            observe: {
                let handlers = try await cluster.handlers()
                let misplaced = Self.misplaced(handlers, among: survivors)
                guard misplaced.isEmpty else {
                    return .waiting("not yet taken over: \(misplaced.joined(separator: ", "))")
                }
                let moved = before.filter { object in
                    object.status?.shard != victim
                        && handlers.first { Self.name($0) == Self.name(object) }?.status?.shard != object.status?.shard
                }
                guard moved.isEmpty else { return .waiting("moved though not \(victim)'s: \(moved.map(Self.name))") }
                let moves = victimObjects.map { object in
                    "\(object.metadata.name ?? "") → "
                        + (handlers.first { Self.name($0) == Self.name(object) }?.status?.shard ?? "-")
                }
                return .observed("taken over: \(moves.joined(separator: ", ")); the others did not move")
            })

        var replacedUID: String?
        try await steps.step(
            "\(victim) replaced and the StatefulSet scaled to 4",
            expected: "kubectl delete pod \(victim) (as after a lost node) and kubectl scale --replicas=4: "
                + "4 replicas ready; every object ends with its rendezvous owner among the 4 (only objects the "
                + "returning and the new replica win move, drained by their old owner first)",
            act: {
                replacedUID = await cluster.podUID(victim)
                // --wait=false: the StatefulSet controller re-creates a Pod of the same name at once, and
                // kubectl's wait for the deletion can miss it (it watches by name and may first list the
                // replacement); the replacement is observed below by its new UID instead.
                try await cluster.kubectl.run("delete", "pod", victim, "-n", DemoCluster.namespace, "--wait=false")
                try await cluster.kubectl.run(
                    "scale", "statefulset", DemoCluster.statefulSet, "-n", DemoCluster.namespace, "--replicas=4")
            },
            observe: {
                let ready = await cluster.readyReplicas()
                let handlers = try await cluster.handlers()
                let misplaced = Self.misplaced(handlers, among: Self.pods(4))
                let replaced = ready.contains { $0.name == victim && $0.uid != replacedUID }
                guard ready.count == 4, replaced, misplaced.isEmpty else {
                    return .waiting(
                        "\(ready.count) replicas ready, \(victim) \(replaced ? "replaced" : "not yet replaced"); "
                            + "not yet with their owner: \(misplaced.joined(separator: ", "))")
                }
                return .observed("4 replicas ready; " + Self.shares(handlers, among: Self.pods(4)))
            })

        var checksBefore = 0.0
        let healthy = all.count
        try await steps.step(
            "a broken object: VersioningHandler payments/ghost names a Deployment that does not exist",
            expected: "ghost gets a shard and Ready=False with reason DeploymentNotFound and a message saying what "
                + "to fix, and a Warning Event; the \(healthy) other objects stay Ready and keep being checked",
            act: {
                checksBefore = await cluster.metricSum("k8supdater_checks_total", "result=\"ok\"")
                let path = "\(cluster.directory)/ghost.yaml"
                try DemoWorkload.broken.write(toFile: path, atomically: true, encoding: .utf8)
                try await cluster.kubectl.run("apply", "-f", path)
            },
            observe: {
                let handlers = try await cluster.handlers()
                guard let ghost = handlers.first(where: { Self.name($0) == "payments/ghost" }) else {
                    return .waiting("ghost not created yet")
                }
                let ready = ghost.status?.conditions?.first { $0.type == "Ready" }
                let events = try await cluster.events(about: "ghost", namespace: "payments", reason: "CheckFailed")
                let others = handlers.filter { Self.name($0) != "payments/ghost" }
                let othersReady = others.filter(Self.isReady).count
                let checks = await cluster.metricSum("k8supdater_checks_total", "result=\"ok\"") - checksBefore
                let seen =
                    "ghost: Ready=\(ready?.status ?? "-") \(ready?.reason ?? "-"), shard \(ghost.status?.shard ?? "-"), "
                    + "\(events.count) Warning Event(s); \(othersReady) of \(others.count) others Ready, "
                    + "\(Int(checks)) successful checks since"
                guard ready?.status == "False", ready?.reason == "DeploymentNotFound", ghost.status?.shard != nil,
                    !events.isEmpty, others.count == healthy, othersReady == healthy, checks >= Double(healthy)
                else { return .waiting(seen) }
                return .observed(
                    "ghost (shard \(ghost.status?.shard ?? "-")): Ready=False DeploymentNotFound: "
                        + "\"\(ready?.message ?? "")\"; "
                        + "Warning Event CheckFailed; the \(healthy) others Ready, \(Int(checks)) successful checks since"
                )
            })
    }
}
