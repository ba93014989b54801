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

/// One (K, N) run of `k8supdater-bench scale`: K VersioningHandlers over M = K/20 repositories, N real
/// `k8supdater run` processes, measured at the emulator, the registry and /proc.
struct ScaleTrial {
    var objects: Int
    var replicas: Int
    var repositories: Int
    var refreshSeconds: Int
    var registry: ScaleRegistry.Kind
    var yamls: String
    var executable: String
    var kubectl: String
    var timeout: Duration
    /// The replicas' `--kube-api-qps` (burst twice that); nil: the operator's default.
    var apiQPS: Double? = nil

    /// What one run measured.
    struct Result: Codable, Sendable {
        var objects: Int
        var replicas: Int
        var repositories: Int
        var registry: String
        var refreshSeconds: Int
        /// The replicas' `--kube-api-qps` when the run set one.
        var kubeAPIQPS: Double?
        /// Seconds from starting the replicas until every object's status.lastChecked was set.
        var firstCycleSeconds: Double
        /// Seconds from the end of the first cycle until every object was on its HRW owner, undrained.
        var settleSeconds: Double
        /// Seconds the replicas took for K more checks after that (`k8supdater_checks_total`, summed
        /// over the replicas' /metrics): from one scrape of every replica to the instant the sum passed
        /// K more, interpolated between the scrapes around it (every 250 ms).
        var steadyCycleSeconds: Double
        var firstCycle: Cycle
        var steadyCycle: Cycle
        /// Per replica (pod name order).
        var perReplica: [Replica]
        /// Checks in the steady cycle by result (`ok`, `failed`, `invalid`).
        var steadyChecks: [String: Int]
        /// Largest share of objects (status.shard) over the mean share.
        var balance: Double
        /// Pod restarts during the run (0 unless a replica crashed).
        var restarts: Int
    }

    /// What one cycle cost at the servers.
    struct Cycle: Codable, Sendable {
        /// `/v2/` requests counted by the registry.
        var registryRequests: Int
        /// Requests by the replicas' ServiceAccount counted by the emulator: get, list and watch.
        var apiReads: Int
        /// create, update, patch, delete by the replicas, Leases included.
        var apiWrites: Int
        /// The writes on Leases (renewals, coordinator rounds).
        var leaseWrites: Int
        /// Writes on anything but Leases, per object.
        var objectWritesPerObject: Double
        /// Requests per verb and resource (`patch versioninghandlers/status` …).
        var requests: [String: Int]
    }

    /// One replica's usage from /proc.
    struct Replica: Codable, Sendable {
        var name: String
        var ownedObjects: Int
        var cpuSecondsFirstCycle: Double
        var cpuSecondsSteadyCycle: Double
        /// VmHWM at the end of the run, MiB.
        var peakRSSMiB: Double
        /// At the end of the run: the resident heap, stacks and other private memory (`RssAnon`), MiB.
        var anonymousRSSMiB: Double?
        /// At the end of the run: the resident pages of the executable and shared libraries (`RssFile`;
        /// shared with every process that maps the same files), MiB.
        var fileRSSMiB: Double?
    }

    func run() async throws -> Result {
        let names = ScaleRegistry.repositories(repositories)
        let trial = self
        return try await ScaleRegistry.with(registry, repositories: names) { registry in
            try await trial.run(registry: registry, repositoryNames: names)
        }
    }

    private func run(registry: ScaleRegistry, repositoryNames: [String]) async throws -> Result {
        let emulator = Emulator()
        // The bench's own client (creating K Deployments and K VersioningHandlers, watching): not limited
        // like an operator's (20/s would spend K/10 s creating them), and not counted (another identity).
        let admin = KubernetesClient(
            configuration: ClientConfiguration(
                server: Emulator.inProcessBaseURL, auth: BearerTokenAuth(token: emulator.adminToken),
                namespace: "default", flowControl: .init(qps: 100_000, burst: 10_000)),
            transport: emulator.transport)
        let directory = try TemporaryDirectory(prefix: "bench-scale")
        defer { directory.remove() }
        let yamls = URL(fileURLWithPath: self.yamls).standardizedFileURL.path
        let trial = self
        return try await emulator.withHTTPServer { baseURL in
            let kubeconfig = try directory.write("admin.kubeconfig", emulator.kubeconfig(baseURL: baseURL))
            for command in [
                ["apply", "-k", yamls],
                ["scale", "statefulset", "k8supdater", "-n", "k8supdater", "--replicas", "\(trial.replicas)"],
                ["create", "namespace", "apps"],
            ] {
                let result = try await TestProcess.run(
                    trial.kubectl, arguments: ["--kubeconfig", kubeconfig] + command, directory: directory.path)
                guard result.status == 0 else {
                    throw ScaleFailure("kubectl \(command.joined(separator: " ")): \(result.output)")
                }
            }
            Self.progress("K = \(trial.objects), N = \(trial.replicas): creating the objects")
            try await trial.createObjects(admin: admin, registryHost: registry.host, repositories: repositoryNames)
            Self.progress("objects created; starting the replicas")
            let checked = CheckedRecorder()
            let watching = Task {
                for await event in Watcher(
                    client: admin, VersioningHandler.self, in: .named("apps"), clock: ContinuousClock())
                {
                    if let handler = event.object { checked.record(handler) }
                }
            }
            defer { watching.cancel() }
            let http = try CurlTransport()
            let runner = LocalStatefulSetRunner(
                settings: LocalClusterSettings(
                    executable: trial.executable, server: baseURL, directory: directory.path,
                    extraArguments: [
                        "--log-format", "text", "--refresh-frequency-in-seconds", "\(trial.refreshSeconds)",
                        "--insecure-registry", registry.host,
                    ]
                        + (trial.apiQPS.map {
                            ["--kube-api-qps", "\($0)", "--kube-api-burst", "\(max(1, Int(($0 * 2).rounded())))"]
                        } ?? []),
                    restartBackoff: CrashLoopBackOff(initial: .seconds(1)), probePeriod: .seconds(1)),
                client: admin, probeTransport: http, logger: Logger(label: "bench"))
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: [.init(service: runner)], logger: Logger(label: "bench")))
            let registry0 = try await registry.settledCount()
            let api0 = emulator.requests.snapshot()
            let start = ContinuousClock.now
            let running = Task { try await group.run() }
            let result: Swift.Result<Result, any Error>
            do {
                result = .success(
                    try await trial.measure(
                        start: start, registry0: registry0, api0: api0, emulator: emulator, registry: registry,
                        runner: runner, admin: admin, checked: checked, http: http))
            } catch {
                result = .failure(error)
            }
            await group.triggerGracefulShutdown()
            _ = await running.result
            await http.shutdown()
            return try result.get()
        }
    }

    /// Cycle 1 (until every lastChecked is set), cycle 2 (K more checks), then /proc and balance.
    private func measure(
        start: ContinuousClock.Instant, registry0: Int, api0: [RequestCounter.Key: Int], emulator: Emulator,
        registry: ScaleRegistry, runner: LocalStatefulSetRunner, admin: KubernetesClient, checked: CheckedRecorder,
        http: CurlTransport
    ) async throws -> Result {
        let deadline = start + timeout
        var lastReport = ContinuousClock.now
        while checked.count < objects {
            if lastReport.duration(to: .now) >= .seconds(10) {
                lastReport = .now
                Self.progress("first cycle: \(checked.count) of \(objects) objects checked")
            }
            guard ContinuousClock.now < deadline else {
                throw ScaleFailure("only \(checked.count) of \(objects) objects were checked within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let firstEnd = ContinuousClock.now
        let pods = await runner.pods().sorted { $0.name < $1.name }
        let usage1 = Self.usage(pods)
        // The steady cycle starts once the assignment is final (a replica that started late may still
        // be receiving its share by drains), so its counts are those of a ring where nothing changes.
        Self.progress("first cycle done in \(start.duration(to: firstEnd)); waiting for the assignment to settle")
        try await Self.settle(admin: admin, live: pods.map(\.name), deadline: deadline)
        let settled = ContinuousClock.now
        Self.progress("settled; steady cycle")
        // The steady cycle is counted from a scrape of every replica's check counter: its start is that
        // scrape's instant (not the end of the settle wait), its end the instant the counters passed K
        // more checks, interpolated between the two scrapes around it (the counter grows steadily, so
        // the polling period is not added to the cycle). The registry and the emulator are read right
        // before the first scrape and right after the last: their window is the cycle plus at most one
        // polling period.
        let registry1 = registry.count()
        let api1 = emulator.requests.snapshot()
        let usageSettled = Self.usage(pods)
        let first = try await Self.checks(pods, http: http)
        let target = first.total + objects
        var previous = first
        var current = first
        while current.total < target {
            guard ContinuousClock.now < deadline else {
                throw ScaleFailure(
                    "the steady cycle ran \(current.total - first.total) of \(objects) checks within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(250))
            previous = current
            current = try await Self.checks(pods, http: http)
        }
        let steadyEnd = CheckSample.crossing(target, from: previous, to: current)
        let registry2 = registry.count()
        let api2 = emulator.requests.snapshot()
        let final = await runner.pods().sorted { $0.name < $1.name }
        let usage2 = Self.usage(final)
        let handlers = try await admin.list(VersioningHandler.self, in: .named("apps")).items
        var owned: [String: Int] = [:]
        for handler in handlers { if let shard = handler.status?.shard { owned[shard, default: 0] += 1 } }
        let mean = Double(objects) / Double(replicas)
        let replicasUsage = final.map { pod in
            let first = usage1[pod.name]
            let steadyStart = usageSettled[pod.name]
            let last = usage2[pod.name]
            return Replica(
                name: pod.name, ownedObjects: owned[pod.name] ?? 0, cpuSecondsFirstCycle: first?.cpuSeconds ?? 0,
                cpuSecondsSteadyCycle: (last?.cpuSeconds ?? 0) - (steadyStart?.cpuSeconds ?? 0),
                peakRSSMiB: Double(last?.peakResidentBytes ?? 0) / 1_048_576,
                anonymousRSSMiB: last?.anonymousBytes.map { Double($0) / 1_048_576 },
                fileRSSMiB: last?.fileBytes.map { Double($0) / 1_048_576 })
        }
        return Result(
            objects: objects, replicas: replicas, repositories: repositories, registry: self.registry.rawValue,
            refreshSeconds: refreshSeconds, kubeAPIQPS: apiQPS,
            firstCycleSeconds: Self.seconds(start.duration(to: firstEnd)),
            settleSeconds: Self.seconds(firstEnd.duration(to: settled)),
            steadyCycleSeconds: Self.seconds(first.instant.duration(to: steadyEnd)),
            firstCycle: cycle(registry: registry1 - registry0, api: api1.subtracting(api0)),
            steadyCycle: cycle(registry: registry2 - registry1, api: api2.subtracting(api1)),
            perReplica: replicasUsage,
            steadyChecks: current.byResult.merging(first.byResult) { $0 - $1 },
            balance: Double(owned.values.max() ?? 0) / mean,
            restarts: final.reduce(0) { $0 + $1.restartCount })
    }

    /// A cycle's counts: only the replicas' requests (their ServiceAccount), not the bench's or the
    /// local runner's (admin).
    private func cycle(registry: Int, api: [RequestCounter.Key: Int]) -> Cycle {
        let operatorRequests = api.filter { $0.key.identity.hasPrefix("system:serviceaccount:") }
        let writes = operatorRequests.total { !$0.isRead }
        let leaseWrites = operatorRequests.total { !$0.isRead && $0.resource == "leases" }
        var byVerb: [String: Int] = [:]
        for (key, count) in operatorRequests { byVerb["\(key.verb) \(key.resource ?? "-")", default: 0] += count }
        return Cycle(
            registryRequests: registry, apiReads: operatorRequests.total { $0.isRead }, apiWrites: writes,
            leaseWrites: leaseWrites, objectWritesPerObject: Double(writes - leaseWrites) / Double(objects),
            requests: byVerb)
    }

    /// Waits until every object is labelled with its HRW owner among `live`, undrained, and its status
    /// names that owner.
    private static func settle(
        admin: KubernetesClient, live: [String], deadline: ContinuousClock.Instant
    ) async throws {
        while ContinuousClock.now < deadline {
            let handlers = try await admin.list(VersioningHandler.self, in: .named("apps")).items
            let settled = try handlers.allSatisfy { handler in
                let owner = try Rendezvous.owner(
                    of: Rendezvous.key(VersioningHandler.resourceType, ObjectKey(handler.metadata)), among: live)
                return handler.metadata.labels?[ShardLabels.shard] == owner && handler.status?.shard == owner
                    && handler.metadata.labels?[ShardLabels.drain] == nil
            }
            if settled { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw ScaleFailure("the objects did not settle on \(live)")
    }

    /// /proc usage per running pod.
    private static func usage(_ pods: [LocalPodState]) -> [String: ProcessUsage] {
        var result: [String: ProcessUsage] = [:]
        for pod in pods {
            if let pid = pod.processID, let usage = try? ProcessUsage.read(pid: pid) { result[pod.name] = usage }
        }
        return result
    }

    /// `k8supdater_checks_total` by result, summed over every replica's /metrics, fetched from all
    /// replicas at once; its instant is the middle of the fetches (parsing comes after).
    private static func checks(_ pods: [LocalPodState], http: CurlTransport) async throws -> CheckSample {
        let before = ContinuousClock.now
        let bodies = try await withThrowingTaskGroup(of: String.self) { group in
            for pod in pods {
                group.addTask {
                    let response = try await http.send(HTTPRequest(url: "http://127.0.0.1:\(pod.httpPort)/metrics"))
                    return String(decoding: response.body, as: UTF8.self)
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        let after = ContinuousClock.now
        var byResult: [String: Int] = [:]
        for body in bodies { byResult.merge(ScaleMetrics.checks(body), uniquingKeysWith: +) }
        return CheckSample(instant: before.advanced(by: before.duration(to: after) / 2), byResult: byResult)
    }

    /// K Deployments (replicas 0: no Pods, the check reads the Deployment and finds nothing running)
    /// and K VersioningHandlers, object i on repository i mod M, created 16 at a time.
    private func createObjects(admin: KubernetesClient, registryHost: String, repositories: [String]) async throws {
        let objects = self.objects
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func launch() {
                let index = next
                next += 1
                group.addTask {
                    let name = "app-\(index)"
                    let labels = ["app": name]
                    let image =
                        "\(registryHost)/\(repositories[index % repositories.count]):\(ScaleRegistry.runningTag)"
                    _ = try await admin.create(
                        Deployment(
                            metadata: ObjectMeta(name: name, namespace: "apps"),
                            spec: .init(
                                replicas: 0, selector: .init(matchLabels: labels),
                                template: .init(
                                    metadata: .init(labels: labels),
                                    spec: PodSpec(containers: [.init(name: "web", image: image)])))))
                    var spec = VersioningHandler.Spec(deployment: name, containerregistry: "oci")
                    spec.containers = ["web"]
                    _ = try await admin.create(
                        VersioningHandler(metadata: ObjectMeta(name: name, namespace: "apps"), spec: spec))
                }
            }
            while next < min(16, objects) { launch() }
            while try await group.next() != nil { if next < objects { launch() } }
        }
    }

    /// A progress line on standard error (the tables go to standard output).
    static func progress(_ line: String) {
        FileHandle.standardError.write(Data("[scale] \(line)\n".utf8))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// The objects whose status.lastChecked has been set (as the watch delivers them).
final class CheckedRecorder: Sendable {
    private let names = Mutex(Set<String>())

    func record(_ handler: VersioningHandler) {
        guard handler.status?.lastChecked != nil, let name = handler.metadata.name else { return }
        _ = names.withLock { $0.insert(name) }
    }

    var count: Int { names.withLock { $0.count } }
}

struct ScaleFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
