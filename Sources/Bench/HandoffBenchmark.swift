import ArgumentParser
import Coordination
import Foundation
import KubeEmulator
import KubernetesClient
import LocalCluster
import Logging
import LoopbackFixtures
import ServiceLifecycle
import Synchronization
import Transport
import Updater
import VersioningAPI

#if canImport(Glibc)
    import Glibc
#endif

/// `k8supdater-bench handoff`: graceful handoff and crash failover of a shard with real `k8supdater
/// run` processes (the StatefulSet's Pods run by the local runner) against an in-process
/// `kube-emulator` with `kubectl apply -k yamls/`.
///
/// Per trial, with 4 replicas: SIGTERM to the replica owning the most objects (graceful: drain, Lease
/// released); once everything settled, `kill -9` of the largest owner that is not the coordinator
/// (crash: its Lease must expire and be taken over); once settled again, `kill -9` of the coordinator
/// (a new coordinator must first be elected, and it counts every Lease as just observed).
/// Each moved object's time is from the signal to the first status write by its new owner, as the
/// emulator's watch delivers it. A signalled process is not restarted within the trial.
struct HandoffBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handoff",
        abstract:
            "Graceful handoff (SIGTERM) and crash failover (kill -9) with real processes: p50/p99/max per move.")

    @Option(help: "scaled (LD 3s, RD 2s, RP 500ms, G 2s), default (15s/10s/2s/15s) or both.")
    var timings = "both"

    @Option(help: "Trials per timing (a fresh cluster each).")
    var trials = 3

    @Option(help: "VersioningHandlers per trial.")
    var objects = 40

    @Option(help: "The repository's yamls/ directory (kubectl apply -k).")
    var yamls = "yamls"

    @Option(help: "Also write every move's time (seconds), per timing and event, as JSON to this file.")
    var json: String?

    @Flag(
        help:
            "Point every image at an unreachable registry (every check fails and is retried with backoff: a handoff during a registry outage) instead of the fixture registry."
    )
    var unreachableRegistry = false

    @Option(
        help:
            "Copy each trial's directory (every replica's output, kubeconfigs) under this directory before it is removed."
    )
    var keepLogs: String?

    @Option(
        parsing: .unconditionalSingleValue,
        help: "An extra argument for every replica's `k8supdater run` (e.g. --replica-argument=--log-level=debug).")
    var replicaArgument: [String] = []

    func validate() throws {
        guard ["scaled", "default", "both"].contains(timings) else {
            throw ValidationError("--timings must be scaled, default or both")
        }
        guard trials >= 1, objects >= 4 else { throw ValidationError("--trials ≥ 1 and --objects ≥ 4") }
    }

    static let scaled = [
        "--lease-duration", "3s", "--renew-deadline", "2s", "--retry-period", "500ms", "--lease-grace", "2s",
        "--drain-timeout", "2s",
    ]
    static let defaults = [
        "--lease-duration", "15s", "--renew-deadline", "10s", "--retry-period", "2s", "--lease-grace", "15s",
        "--drain-timeout", "30s",
    ]

    func run() async throws {
        BenchEnvironment.printHeader()
        let kubectl = try SystemTool.require("kubectl")
        let version = try await TestProcess.run(kubectl, arguments: ["version", "--client"], directory: "/")
        print("tool: kubectl \(version.output.split(separator: "\n").first ?? "")")
        LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
        let selected: [(String, [String])] =
            switch timings {
            case "scaled": [("scaled", Self.scaled)]
            case "default": [("default", Self.defaults)]
            default: [("scaled", Self.scaled), ("default", Self.defaults)]
            }
        print("| timings | event | trials | objects moved | p50 | p99 (≥ 100 moves) | max |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        var samples: [String: [String: [Double]]] = [:]
        var breakdown: [String] = []
        for (name, arguments) in selected {
            var graceful: [Sample] = []
            var crash: [Sample] = []
            var coordinatorCrash: [Sample] = []
            for _ in 0..<trials {
                let moves = try await trial(arguments: arguments)
                graceful += moves.graceful
                crash += moves.crash
                coordinatorCrash += moves.coordinatorCrash
            }
            print(Self.row(name, "SIGTERM → first reconcile by the new owner", trials, graceful.map(\.total)))
            print(
                Self.row(
                    name, "kill -9 (not the coordinator) → first reconcile by the new owner", trials, crash.map(\.total)
                ))
            print(
                Self.row(
                    name, "kill -9 of the coordinator → first reconcile by the new owner", trials,
                    coordinatorCrash.map(\.total)))
            breakdown.append(contentsOf: Self.breakdown(name, "SIGTERM", graceful))
            breakdown.append(contentsOf: Self.breakdown(name, "kill -9 (not the coordinator)", crash))
            breakdown.append(contentsOf: Self.breakdown(name, "kill -9 of the coordinator", coordinatorCrash))
            samples[name] = [
                "graceful": graceful.map { Self.seconds($0.total) }, "crash": crash.map { Self.seconds($0.total) },
                "coordinatorCrash": coordinatorCrash.map { Self.seconds($0.total) },
            ]
        }
        print("")
        print("Where the time goes (p50 / p99 from 100 samples / max):")
        print("| timings | event | victim | objects | signal → new shard label | new label → first status write |")
        print("| --- | --- | --- | --- | --- | --- |")
        for line in breakdown { print(line) }
        BenchEnvironment.printFooter()
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(samples).write(to: URL(fileURLWithPath: json))
            print("JSON written to \(json)")
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Rows splitting each move into the coordinator's part (until the new label) and the new owner's
    /// part (until its first status write), by whether the victim was the coordinator.
    static func breakdown(_ timings: String, _ event: String, _ samples: [Sample]) -> [String] {
        func text(_ values: [Duration]) -> String {
            let sorted = values.sorted()
            guard let last = sorted.last else { return "-" }
            let p99 = sorted.count >= 100 ? sorted[Int((Double(sorted.count) * 0.99).rounded(.up)) - 1] : nil
            return String(
                format: "%.2f / %@ / %.2f s", seconds(sorted[sorted.count / 2]),
                p99.map { String(format: "%.2f", seconds($0)) } ?? "-", seconds(last))
        }
        return [true, false].compactMap { coordinator in
            let group = samples.filter { $0.victimWasCoordinator == coordinator }
            guard !group.isEmpty else { return nil }
            let labelled = group.compactMap(\.labelled)
            let afterLabel = group.compactMap { sample in sample.labelled.map { sample.total - $0 } }
            return "| \(timings) | \(event) | \(coordinator ? "the coordinator" : "not the coordinator") | "
                + "\(group.count) | \(text(labelled)) | \(text(afterLabel)) |"
        }
    }

    static func row(_ timings: String, _ event: String, _ trials: Int, _ samples: [Duration]) -> String {
        let sorted = samples.sorted()
        func text(_ value: Duration?) -> String {
            guard let value else { return "-" }
            return String(
                format: "%.2f s", Double(value.components.seconds) + Double(value.components.attoseconds) / 1e18)
        }
        let median = sorted.isEmpty ? nil : sorted[sorted.count / 2]
        // Nearest rank; only from 100 samples on, where it is not simply the maximum.
        let p99 = sorted.count >= 100 ? sorted[Int((Double(sorted.count) * 0.99).rounded(.up)) - 1] : nil
        return
            "| \(timings) | \(event) | \(trials) | \(samples.count) | \(text(median)) | \(text(p99)) | \(text(sorted.last)) |"
    }

    /// The per-object times of one trial's three moves.
    struct Moves {
        var graceful: [Sample]
        var crash: [Sample]
        var coordinatorCrash: [Sample]
    }

    /// One moved object: signal → first status write by its new owner, and the part of it until the
    /// coordinator's label named the new owner.
    struct Sample {
        var total: Duration
        var labelled: Duration?
        /// Whether the signalled replica held the coordinator Lease.
        var victimWasCoordinator: Bool
    }

    /// Which replica a move signals.
    enum Victim {
        /// The one owning the most objects.
        case largestOwner
        /// The one owning the most objects among those not holding the coordinator Lease.
        case largestNonCoordinator
        /// The holder of the coordinator Lease.
        case coordinator
    }

    /// One cluster: settle, SIGTERM the largest owner, settle, kill -9 the largest non-coordinator,
    /// settle, kill -9 the coordinator.
    private func trial(arguments: [String]) async throws -> Moves {
        if unreachableRegistry { return try await trial(arguments: arguments, registryHost: "127.0.0.1:1") }
        // Steady state: every object's image is in the fixture registry at its newest tag, so a check
        // succeeds and finds nothing to change.
        let repositories = ScaleRegistry.repositories(max(objects / 4, 1))
        return try await ScaleRegistry.with(.fixture, repositories: repositories) { registry in
            try await trial(
                arguments: arguments + ["--insecure-registry", registry.host], registryHost: registry.host,
                repositories: repositories)
        }
    }

    private func trial(arguments: [String], registryHost: String, repositories: [String] = ["app"]) async throws
        -> Moves
    {
        let executable = try BuiltProduct.path("k8supdater")
        let kubectl = try SystemTool.require("kubectl")
        let emulator = Emulator()
        let admin = KubernetesClient(
            configuration: ClientConfiguration(
                server: Emulator.inProcessBaseURL, auth: BearerTokenAuth(token: emulator.adminToken),
                namespace: "default"),
            transport: emulator.transport)
        let directory = try TemporaryDirectory(prefix: "bench-handoff")
        defer {
            if let keepLogs {
                let kept = "\(keepLogs)/\(URL(fileURLWithPath: directory.path).lastPathComponent)"
                try? FileManager.default.createDirectory(atPath: keepLogs, withIntermediateDirectories: true)
                try? FileManager.default.copyItem(atPath: directory.path, toPath: kept)
            }
            directory.remove()
        }
        let yamls = URL(fileURLWithPath: self.yamls).standardizedFileURL.path
        let objects = self.objects
        return try await emulator.withHTTPServer { baseURL in
            let kubeconfig = try directory.write("admin.kubeconfig", emulator.kubeconfig(baseURL: baseURL))
            for command in [
                ["apply", "-k", yamls], ["scale", "statefulset", "k8supdater", "-n", "k8supdater", "--replicas", "4"],
                ["create", "namespace", "apps"],
            ] {
                let result = try await TestProcess.run(
                    kubectl, arguments: ["--kubeconfig", kubeconfig] + command, directory: directory.path)
                guard result.status == 0 else {
                    throw BenchFailure("kubectl \(command.joined(separator: " ")): \(result.output)")
                }
            }
            let probes = try CurlTransport()
            let runner = LocalStatefulSetRunner(
                settings: LocalClusterSettings(
                    executable: executable, server: baseURL, directory: directory.path,
                    extraArguments: arguments + ["--log-format", "text"] + replicaArgument,
                    restartBackoff: CrashLoopBackOff(initial: .seconds(3600)), probePeriod: .milliseconds(250)),
                client: admin, probeTransport: probes, logger: Logger(label: "bench"))
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: [.init(service: runner)], logger: Logger(label: "bench")))
            let running = Task { try await group.run() }
            let recorder = StatusRecorder()
            let watching = Task {
                for await event in Watcher(
                    client: admin, VersioningHandler.self, in: .named("apps"), clock: ContinuousClock())
                {
                    if case .apply(let handler) = event { recorder.record(handler) }
                }
            }
            defer { watching.cancel() }
            let result: Result<Moves, any Error>
            do {
                for index in 0..<objects {
                    let image =
                        "\(registryHost)/\(repositories[index % repositories.count]):\(ScaleRegistry.runningTag)"
                    try await Self.createHandler(index, image: image, admin: admin)
                }
                try await Self.settle(admin: admin, live: (0..<4).map { "k8supdater-\($0)" })
                var live = (0..<4).map { "k8supdater-\($0)" }
                let graceful = try await Self.move(
                    signal: SIGTERM, victim: .largestOwner, live: &live, admin: admin, runner: runner,
                    recorder: recorder)
                let crash = try await Self.move(
                    signal: SIGKILL, victim: .largestNonCoordinator, live: &live, admin: admin, runner: runner,
                    recorder: recorder)
                let coordinatorCrash = try await Self.move(
                    signal: SIGKILL, victim: .coordinator, live: &live, admin: admin, runner: runner,
                    recorder: recorder)
                result = .success(Moves(graceful: graceful, crash: crash, coordinatorCrash: coordinatorCrash))
            } catch {
                result = .failure(error)
            }
            await group.triggerGracefulShutdown()
            _ = await running.result
            await probes.shutdown()
            return try result.get()
        }
    }

    /// Signals the `victim` replica of `live`, removes it from `live`, and returns, per object it owned,
    /// the time to its new owner's first status write.
    private static func move(
        signal: Int32, victim selection: Victim, live: inout [String], admin: KubernetesClient,
        runner: LocalStatefulSetRunner, recorder: StatusRecorder
    ) async throws -> [Sample] {
        let handlers = try await admin.list(VersioningHandler.self, in: .named("apps")).items
        let shards = handlers.compactMap { $0.status?.shard }
        let coordinator = try await admin.get(Lease.self, name: "k8supdater-coordinator", namespace: "k8supdater")
            .spec?.holderIdentity.flatMap { $0.split(separator: "_").first.map(String.init) }
        let candidates: [String]
        switch selection {
        case .largestOwner: candidates = live
        case .largestNonCoordinator: candidates = live.filter { $0 != coordinator }
        case .coordinator: candidates = live.filter { $0 == coordinator }
        }
        guard let victim = candidates.max(by: { a, b in shards.count { $0 == a } < shards.count { $0 == b } })
        else {
            throw BenchFailure("no replica to signal among \(live) (coordinator: \(coordinator ?? "none"))")
        }
        live.removeAll { $0 == victim }
        let owned = handlers.filter { $0.status?.shard == victim }.compactMap(\.metadata.name)
        guard let pid = await runner.pod(named: victim)?.processID else {
            throw BenchFailure("\(victim) is not running")
        }
        let start = ContinuousClock.now
        recorder.reset(after: start)
        kill(pid, signal)
        try await settle(admin: admin, live: live)
        return try owned.map { name in
            guard let seen = recorder.firstWrite(of: name, notBy: victim) else {
                throw BenchFailure("no status write of \(name) by a new owner was seen")
            }
            return Sample(
                total: start.duration(to: seen),
                labelled: recorder.firstLabel(of: name, notBy: victim).map { start.duration(to: $0) },
                victimWasCoordinator: victim == coordinator)
        }
    }

    /// Waits (at most 10 minutes) until every object is labelled with its HRW owner among `live` and was
    /// checked by it.
    private static func settle(admin: KubernetesClient, live: [String]) async throws {
        let deadline = ContinuousClock.now + .seconds(600)
        while ContinuousClock.now < deadline {
            let handlers = try await admin.list(VersioningHandler.self, in: .named("apps")).items
            let settled = try handlers.allSatisfy { handler in
                let owner = try Rendezvous.owner(
                    of: Rendezvous.key(VersioningHandler.resourceType, ObjectKey(handler.metadata)), among: live)
                return handler.metadata.labels?[ShardLabels.shard] == owner && handler.status?.shard == owner
                    && handler.metadata.labels?[ShardLabels.drain] == nil
            }
            if settled && !handlers.isEmpty { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchFailure("objects did not settle on \(live) within 10 minutes")
    }

    private static func createHandler(_ index: Int, image: String, admin: KubernetesClient) async throws {
        let name = "app-\(index)"
        let labels = ["app": name]
        _ = try await admin.create(
            Deployment(
                metadata: ObjectMeta(name: name, namespace: "apps"),
                spec: .init(
                    replicas: 1, selector: .init(matchLabels: labels),
                    template: .init(
                        metadata: .init(labels: labels),
                        spec: PodSpec(containers: [.init(name: "web", image: image)])))))
        var spec = VersioningHandler.Spec(deployment: name, containerregistry: "oci")
        spec.containers = ["web"]
        _ = try await admin.create(VersioningHandler(metadata: ObjectMeta(name: name, namespace: "apps"), spec: spec))
    }
}

/// When each object's status was first written by a replica other than the one that left.
private final class StatusRecorder: Sendable {
    private struct State {
        var since: ContinuousClock.Instant = .now
        var writes: [String: [(shard: String, at: ContinuousClock.Instant)]] = [:]
        var labels: [String: [(shard: String, at: ContinuousClock.Instant)]] = [:]
    }
    private let state = Mutex(State())

    func reset(after instant: ContinuousClock.Instant) {
        state.withLock {
            $0.since = instant
            $0.writes = [:]
            $0.labels = [:]
        }
    }

    func record(_ handler: VersioningHandler) {
        let now = ContinuousClock.now
        guard let name = handler.metadata.name else { return }
        let label = handler.metadata.labels?[ShardLabels.shard]
        state.withLock { state in
            guard now >= state.since else { return }
            if let label, state.labels[name]?.last?.shard != label {
                state.labels[name, default: []].append((label, now))
            }
            guard let shard = handler.status?.shard else { return }
            if state.writes[name]?.last?.shard != shard { state.writes[name, default: []].append((shard, now)) }
        }
    }

    /// When the object's shard label first named another replica than `victim` after the signal.
    func firstLabel(of name: String, notBy victim: String) -> ContinuousClock.Instant? {
        state.withLock { $0.labels[name]?.first { $0.shard != victim }?.at }
    }

    func firstWrite(of name: String, notBy victim: String) -> ContinuousClock.Instant? {
        state.withLock { $0.writes[name]?.first { $0.shard != victim }?.at }
    }
}

private struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
