import ArgumentParser
import Foundation
import Logging
import LoopbackFixtures

#if canImport(Glibc)
    import Glibc
#endif

/// `k8supdater-bench scale`: K VersioningHandlers over M = K/20 repositories checked by N real
/// `k8supdater run` processes (the StatefulSet's Pods, run by the local runner) against an in-process
/// `kube-emulator` (`kubectl apply -k yamls/`) and a loopback registry.
///
/// Per (K, N): the wall time of the first check cycle (until every status.lastChecked is set) and of a
/// steady one (K more checks, from the replicas' `k8supdater_checks_total`); per replica CPU seconds
/// and peak RSS from /proc; per cycle the registry requests the registry counted and the API reads and
/// writes the emulator counted for the replicas' ServiceAccount; writes per object; balance.
/// Handoff and failover times are `k8supdater-bench handoff`'s.
struct ScaleBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "K objects on N real replicas: cycle times, CPU/RSS per replica, registry and API requests per cycle."
    )

    @Option(help: "Object counts K, comma-separated (M = K/20 repositories each).")
    var objects = "1000,10000"

    @Option(help: "Replica counts N, comma-separated.")
    var replicas = "1,3,5"

    @Option(
        help: "fixture (the project's registry fixture) or docker-registry (Debian's, counted from its access log).")
    var registry = ScaleRegistry.Kind.fixture.rawValue

    @Option(help: "Seconds between checks of one object (--refresh-frequency-in-seconds; at least 10).")
    var refresh = 10

    @Option(
        name: .customLong("kube-api-qps"),
        help: "The replicas' --kube-api-qps (their burst twice that); default: the operator's own (20, burst 40).")
    var kubeAPIQPS: Double?

    @Option(help: "Give up on a run after this many seconds.")
    var timeout = 1200

    @Option(help: "Also write the results as JSON to this file.")
    var json: String?

    @Option(help: "The repository's yamls/ directory (kubectl apply -k).")
    var yamls = "yamls"

    func validate() throws {
        guard ScaleRegistry.Kind(rawValue: registry) != nil else {
            throw ValidationError("--registry must be fixture or docker-registry")
        }
        guard let counts = Self.list(objects), counts.allSatisfy({ $0 >= 20 }) else {
            throw ValidationError("--objects must be comma-separated counts of at least 20")
        }
        guard let sizes = Self.list(replicas), sizes.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("--replicas must be comma-separated counts of at least 1")
        }
        if let kubeAPIQPS, !(kubeAPIQPS > 0 && kubeAPIQPS.isFinite) {
            throw ValidationError("--kube-api-qps must be over 0")
        }
        guard refresh >= 10 else { throw ValidationError("--refresh must be at least 10 (the operator's minimum)") }
        _ = counts
        _ = sizes
    }

    static func list(_ text: String) -> [Int]? {
        let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else { return nil }
        return values.compactMap { $0 }
    }

    /// The JSON file: the conditions of the run and one entry per (K, N).
    struct Report: Codable {
        var command: String
        var date: String
        var cores: Int
        var loadAtStart: String
        var loadAtEnd: String
        var results: [ScaleTrial.Result]
    }

    func run() async throws {
        let kind = ScaleRegistry.Kind(rawValue: registry) ?? .fixture
        BenchEnvironment.printHeader(tools: kind == .dockerRegistry ? ["docker-registry"] : [])
        let kubectl = try SystemTool.require("kubectl")
        let version = try await TestProcess.run(kubectl, arguments: ["version", "--client"], directory: "/")
        print("tool: kubectl \(version.output.split(separator: "\n").first ?? "")")
        let loadAtStart = BenchEnvironment.loadAverage()
        LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
        let executable = try BuiltProduct.path("k8supdater")
        var results: [ScaleTrial.Result] = []
        print(Self.header)
        for count in Self.list(objects) ?? [] {
            for size in Self.list(replicas) ?? [] {
                let trial = ScaleTrial(
                    objects: count, replicas: size, repositories: max(1, count / 20), refreshSeconds: refresh,
                    registry: kind, yamls: yamls, executable: executable, kubectl: kubectl,
                    timeout: .seconds(timeout), apiQPS: kubeAPIQPS)
                let result = try await trial.run()
                results.append(result)
                print(Self.row(result))
                for replica in result.perReplica {
                    print(
                        "  \(replica.name): \(replica.ownedObjects) objects, "
                            + String(
                                format: "CPU %.1f s (first) + %.1f s (steady), peak RSS %.1f MiB; at the end ",
                                replica.cpuSecondsFirstCycle, replica.cpuSecondsSteadyCycle, replica.peakRSSMiB)
                            + Self.split(replica))
                }
                defer { fflush(nil) }  // each row as soon as it is measured, also into a pipe
                print("  steady cycle checks by result: \(result.steadyChecks.sorted { $0.key < $1.key })")
                print("  steady cycle requests: \(result.steadyCycle.requests.sorted { $0.key < $1.key })")
            }
        }
        BenchEnvironment.printFooter()
        if let json {
            let report = Report(
                command: (["k8supdater-bench"] + CommandLine.arguments.dropFirst()).joined(separator: " "),
                date: ISO8601DateFormatter().string(from: Date()), cores: ProcessInfo.processInfo.activeProcessorCount,
                loadAtStart: loadAtStart, loadAtEnd: BenchEnvironment.loadAverage(), results: results)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
            print("JSON written to \(json)")
        }
    }

    /// "anon 80.1 + file 42.0 MiB" (what /proc said at the end), or "RSS split unknown".
    static func split(_ replica: ScaleTrial.Replica) -> String {
        guard let anonymous = replica.anonymousRSSMiB, let file = replica.fileRSSMiB else { return "RSS split unknown" }
        return String(format: "anon %.1f + file %.1f MiB", anonymous, file)
    }

    static let header = """
        | K | N | M | first cycle (+ settle) | steady cycle | registry req. (first / steady) | API reads (first / steady) | API writes (first / steady; Leases) | object writes/object, steady | CPU s/replica (first / steady, max) | peak RSS/replica (max; its anon + file at the end) | balance max/mean |
        | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
        """

    static func row(_ result: ScaleTrial.Result) -> String {
        let first = result.firstCycle
        let steady = result.steadyCycle
        let cpuFirst = result.perReplica.map(\.cpuSecondsFirstCycle).max() ?? 0
        let cpuSteady = result.perReplica.map(\.cpuSecondsSteadyCycle).max() ?? 0
        let largest = result.perReplica.max { $0.peakRSSMiB < $1.peakRSSMiB }
        let rss = largest?.peakRSSMiB ?? 0
        let split =
            largest.flatMap { replica in
                replica.anonymousRSSMiB.flatMap { anonymous in
                    replica.fileRSSMiB.map { String(format: " (%.1f + %.1f)", anonymous, $0) }
                }
            } ?? ""
        return String(
            format:
                "| %d | %d | %d | %.1f s (+ %.1f s) | %.1f s | %d / %d | %d / %d | %d / %d (%d) | %.3f | %.1f / %.1f | %.1f MiB",
            result.objects, result.replicas, result.repositories, result.firstCycleSeconds, result.settleSeconds,
            result.steadyCycleSeconds,
            first.registryRequests, steady.registryRequests, first.apiReads, steady.apiReads, first.apiWrites,
            steady.apiWrites, steady.leaseWrites, steady.objectWritesPerObject, cpuFirst, cpuSteady, rss)
            + split + String(format: " | %.2f |", result.balance)
    }
}
