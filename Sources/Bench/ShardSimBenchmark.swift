import ArgumentParser
import Coordination
import Foundation
import KubernetesClient
import LocalCluster
import VersioningAPI

/// `k8supdater-bench shard-sim`: the coordinator at a size one cluster on this machine cannot hold, by
/// simulation (``ShardSimulation``: the real ``AssignmentPlan`` and ``Membership`` on an in-memory
/// model of the objects and Leases, a fixed instant instead of a clock — no API server).
///
/// Reports: the coordinator's watch-cache memory (RSS delta of decoding K VersioningHandlers as the
/// API sends them), the time and patches to assign K objects from scratch, the patches of one join and
/// one leave, the cost of an idle round, and the API request rate the ring causes (a model from the
/// protocol's periods and the per-check reads `scale` measured), at K and projected to 1,000,000.
struct ShardSimBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shard-sim",
        abstract:
            "Coordinator memory, assignment time and patches per join/leave at K objects and N replicas (simulated)."
    )

    @Option(help: "Objects K.") var objects = 100_000
    @Option(help: "Replicas N.") var replicas = 20
    @Option(help: "API reads per check (GETs and LISTs; `scale` measures it).") var readsPerCheck = 3.0
    @Option(help: "Seconds between checks of one object (the default REFRESH_FREQUENCY_IN_SECONDS).") var refresh = 3600
    @Option(help: "Status heartbeat in seconds (a check rewrites a status whose lastChecked is this old).")
    var heartbeat = 300
    @Option(help: "Assumed API latency of one label patch, milliseconds (the coordinator runs 100 at once).")
    var patchLatencyMs = 10.0
    @Option(help: "The coordinator's client rate limit, requests/s (ClientConfiguration's default qps).")
    var clientQPS = 20.0

    func validate() throws {
        guard objects >= 1, replicas >= 2 else { throw ValidationError("--objects ≥ 1 and --replicas ≥ 2") }
    }

    func run() async throws {
        BenchEnvironment.printHeader()
        let memory = try Self.cacheMemory(objects: objects)
        print(
            String(
                format:
                    "coordinator watch cache: %d VersioningHandlers decoded from API JSON: RSS %.1f → %.1f MiB, ≈ %.0f bytes/object",
                objects, memory.before / 1_048_576, memory.after / 1_048_576,
                (memory.after - memory.before) / Double(objects)))

        var simulation = ShardSimulation(objects: objects)
        for ordinal in 0..<replicas { simulation.join(ordinal) }
        let scratch = simulation.settle()
        let owned = simulation.owned()
        let balance = Double(owned.values.max() ?? 0) / (Double(objects) / Double(replicas))
        let idle = simulation.settle()
        simulation.join(replicas)
        let join = simulation.settle()
        simulation.leave(Int.random(in: 0..<replicas))
        let leave = simulation.settle()

        let writesPerSecond = min(clientQPS, 100.0 / (patchLatencyMs / 1000))
        print("")
        print(
            "| event (K = \(objects), N = \(replicas)) | rounds | plan time | object patches | of which | objects moved |"
        )
        print("| --- | --- | --- | --- | --- | --- |")
        print(Self.row("assign from scratch", scratch))
        print(Self.row("idle round (nothing to do)", idle))
        print(Self.row("join (N → N+1)", join))
        print(Self.row("leave (one Lease released)", leave))
        print(
            String(
                format:
                    "\nbalance after assigning: max/mean %.3f; assigning from scratch ≈ %.1f s of plan + %d patches at min(%.0f/s client limit, 100 in flight × %.0f ms) = %.0f s",
                balance, scratch.planSeconds, scratch.objectPatches, clientQPS, patchLatencyMs,
                Double(scratch.objectPatches) / writesPerSecond))
        print(
            String(
                format: "idle round every retry period (2 s): %.2f s of CPU = %.0f %% of one core on the coordinator",
                idle.planSeconds, idle.planSeconds / 2 * 100))

        print("\nAPI request rate the API server sees (model; RP 2 s, resync 300 s):")
        print(
            "| K | N | reads/s (checks) | status writes/s (heartbeat, at checks) | Lease writes/s | Lease lists/s | watch events/s | objects re-listed by the coordinator /s |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for count in [objects, 1_000_000] {
            print(
                Self.rateRow(
                    objects: count, replicas: replicas, readsPerCheck: readsPerCheck, refresh: refresh,
                    heartbeat: heartbeat))
        }
        BenchEnvironment.printFooter()
    }

    static func row(_ event: String, _ patches: ShardSimulation.Patches) -> String {
        let parts = [
            ("assign", patches.assign), ("move", patches.move), ("drain", patches.drain),
            ("drain ack", patches.drainAcknowledged), ("cancel", patches.cancelDrain),
        ].filter { $0.1 > 0 }.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
        let cpu = String(format: "%.3f s", patches.planSeconds)
        return "| \(event) | \(patches.rounds) | \(cpu) | \(patches.objectPatches) | \(parts.isEmpty ? "-" : parts) "
            + "| \(patches.moved) |"
    }

    /// The steady request rate of a ring: every check's reads, heartbeat status writes (a status is
    /// rewritten at a check once the heartbeat is due, so once per max(refresh, heartbeat)), Lease renewals
    /// (N replicas + the coordinator Lease) and Lease lists (coordinator rounds and the other replicas'
    /// observations) every retry period, watch events (each status write reaches the coordinator's
    /// watch of all objects and its owner's watch of its shard), and the coordinator's re-list.
    static func rateRow(objects: Int, replicas: Int, readsPerCheck: Double, refresh: Int, heartbeat: Int) -> String {
        let k = Double(objects)
        let reads = k / Double(refresh) * readsPerCheck
        let statusWrites = k / Double(max(refresh, heartbeat))
        let leaseWrites = Double(replicas + 1) / 2
        let leaseLists = Double(replicas) / 2
        let watchEvents = statusWrites * 2
        let relist = k / 300
        return String(
            format: "| %d | %d | %.0f | %.0f | %.1f | %.1f | %.0f | %.0f |", objects, replicas, reads, statusWrites,
            leaseWrites, leaseLists, watchEvents, relist)
    }

    /// RSS before and after decoding `objects` VersioningHandlers (one container, two conditions, the
    /// shard label) from the JSON an API server sends, kept alive as the watch cache keeps them.
    static func cacheMemory(objects: Int) throws -> (before: Double, after: Double) {
        let pid = ProcessInfo.processInfo.processIdentifier
        let before = try ProcessUsage.read(pid: pid).residentBytes
        let decoder = JSONDecoder()
        var cache: [VersioningHandler] = []
        cache.reserveCapacity(objects)
        for index in 0..<objects {
            let json = """
                {"apiVersion":"k8supdater.io/v1","kind":"VersioningHandler","metadata":{"name":"app-\(index)",\
                "namespace":"ns-\(index % 37)","uid":"\(UUID().uuidString.lowercased())","resourceVersion":"\(1_000_000 + index)",\
                "generation":1,"creationTimestamp":"2026-12-05T08:00:00Z","labels":{"k8supdater.io/shard":"k8supdater-\(index % 20)"}},\
                "spec":{"deployment":"app-\(index)","containerregistry":"oci","containers":["web"],"refreshSeconds":3600},\
                "status":{"shard":"k8supdater-\(index % 20)","observedGeneration":1,"lastChecked":"2026-12-05T08:00:\(String(format: "%02d", index % 60))Z",\
                "summary":"Up to date","containers":[{"name":"web","image":"registry.example.com/team/app\(index % 5000):1.0.0",\
                "current":"1.0.0","latestAllowed":"1.0.0","latestAvailable":"1.0.0","digest":"sha256:\(String(repeating: "ab", count: 32))"}],\
                "conditions":[{"type":"Ready","status":"True","reason":"Checked","message":"every container checked",\
                "lastTransitionTime":"2026-12-05T08:00:00Z"},{"type":"Degraded","status":"False","reason":"Checked",\
                "message":"","lastTransitionTime":"2026-12-05T08:00:00Z"}]}}
                """
            cache.append(try decoder.decode(VersioningHandler.self, from: Data(json.utf8)))
        }
        let after = try ProcessUsage.read(pid: pid).residentBytes
        withExtendedLifetime(cache) {}
        return (Double(before), Double(after))
    }
}
