import Foundation
import KubernetesClient
import LocalCluster
import Updater
import VersioningAPI

/// The live view: the VersioningHandlers as `kubectl get vh -A` shows them (the CRD's printer
/// columns, the shard among them) and a line per replica. ``DemoTableWatcher`` prints it whenever
/// something in it changed (ages aside).
enum DemoTable {
    static let header = ["NAMESPACE", "NAME", "DEPLOYMENT", "REGISTRY", "SHARD", "STATUS", "LAST CHECK", "AGE"]

    /// The rows, without the two age columns (what "changed" means).
    static func rows(_ handlers: [VersioningHandler]) -> [[String]] {
        handlers.map { handler in
            [
                handler.metadata.namespace ?? "", handler.metadata.name ?? "", handler.spec.deployment,
                handler.spec.containerregistry.rawValue, handler.status?.shard ?? "<none>",
                handler.status?.summary ?? "<none>",
            ]
        }
    }

    /// The table, aligned as kubectl aligns it (three spaces between columns).
    static func render(_ handlers: [VersioningHandler], now: Date) -> String {
        var lines = [header]
        for (handler, row) in zip(handlers, rows(handlers)) {
            let lastCheck = handler.status?.lastChecked.map { DemoOutput.age(now.timeIntervalSince($0.date)) }
            let age = handler.metadata.creationTimestamp.map { DemoOutput.age(now.timeIntervalSince($0.date)) }
            lines.append(row + [lastCheck ?? "<none>", age ?? "<unknown>"])
        }
        let widths = header.indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { line in
            zip(line, widths).enumerated().map { index, cell in
                index == line.count - 1 ? cell.0 : cell.0.padding(toLength: cell.1, withPad: " ", startingAt: 0)
            }.joined(separator: "   ")
        }.joined(separator: "\n")
    }

    /// One line: each replica, its process and how many objects it owns.
    static func replicas(_ pods: [LocalPodState], handlers: [VersioningHandler], coordinator: String?) -> String {
        let parts = pods.map { pod in
            let owned = handlers.count { $0.status?.shard == pod.name }
            let process =
                pod.processID.map { "pid \($0)\(pod.ready ? "" : ", not ready")" } ?? "no process"
            return "\(pod.name) (\(process), \(owned) objects\(coordinator == pod.name ? ", coordinator" : ""))"
        }
        return "replicas: " + (parts.isEmpty ? "none" : parts.joined(separator: " · "))
    }
}

/// Prints ``DemoTable`` every time its content changes: polled every 500 ms by ``run()``, and on demand
/// (``printIfChanged()``) when a step ends, so that a step's outcome shows above its "observed" line.
actor DemoTableWatcher {
    let cluster: DemoCluster
    private var last = ""

    init(cluster: DemoCluster) {
        self.cluster = cluster
    }

    /// Polls until cancelled.
    func run() async {
        while !Task.isCancelled {
            await printIfChanged()
            try? await Task.sleep(for: .milliseconds(500))
        }
    }

    /// Prints the table if anything in it changed since it was last printed (ages aside).
    func printIfChanged() async {
        guard let handlers = try? await cluster.handlers(), !handlers.isEmpty else { return }
        let pods = await cluster.runner.pods()
        let coordinator = await cluster.coordinator()
        let replicas = DemoTable.replicas(pods, handlers: handlers, coordinator: coordinator)
        let signature = "\(DemoTable.rows(handlers))\(replicas)"
        guard signature != last else { return }
        last = signature
        DemoOutput.say("\n" + DemoTable.render(handlers, now: Date()) + "\n" + replicas + "\n")
    }
}
