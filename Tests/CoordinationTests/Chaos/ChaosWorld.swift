import Clocks
import Coordination
import Foundation
import KubeEmulator
import KubernetesClient

/// The chaos simulation: N operator processes and their coordinator on one emulator and one test
/// clock, disrupted by seeded random events; the four invariants are checked after every step.
///
/// Time only moves in ``tick(_:)``; every process step runs to completion before the next, so a seed
/// replays exactly (the emulator's answers depend only on the order of requests).
///
/// Modelling notes (assumptions, next to the code that makes them):
/// - Each tick first runs every running process's watchdog (renew deadline passed → cancel all work),
///   as the real watchdog fires at the deadline itself, before later work is scheduled.
/// - A paused process (GC-like stall, or waiting for a slow response) does nothing; its stale work is
///   not "in flight" until it resumes, and the first thing it does then is the watchdog check.
/// - A process's informer is a fresh label-selector list at each step (an up-to-date watch cache).
final class ChaosWorld {
    let harness: Harness
    let clock = SimClock()
    let election: ElectionConfiguration
    var random: SeededRandom
    var processes: [String: SimProcess] = [:]
    var replicas: Int
    var restartAt: [String: SimInstant] = [:]
    var healAt: [String: SimInstant] = [:]
    var ownerlessSince: [ObjectKey: SimInstant] = [:]
    /// Each object's shard label at the last check.
    var lastLabel: [ObjectKey: String?] = [:]
    /// The last check at which no coordinator could act.
    var coordinatorGap: SimInstant?
    var violations: [String] = []
    var log: [String] = []
    var objectCounter = 0
    var acceptedWrites = 0
    var stats: [String: Int] = [:]

    /// Ownerless bound: lease duration + grace + 10 s.
    var ownerlessBound: Duration { election.leaseDuration + election.leaseGrace + .seconds(10) }

    init(harness: Harness, seed: UInt64, replicas: Int, election: ElectionConfiguration = ElectionConfiguration()) {
        self.harness = harness
        self.random = SeededRandom(seed: seed)
        self.replicas = replicas
        self.election = election
    }

    var now: SimInstant { clock.now }

    func chance(_ probability: Double) -> Bool { Double(random.next() % 1_000_000) / 1_000_000 < probability }
    func seconds(_ range: ClosedRange<Int>) -> Duration {
        .seconds(Int(random.next() % UInt64(range.count)) + range.lowerBound)
    }

    func note(_ message: String) {
        log.append("[\(clock.now)] \(message)")
        if log.count > 60 { log.removeFirst(log.count - 60) }
    }

    // MARK: Setup

    func start(objects: Int) async throws {
        try await admin { try await self.harness.setReplicas(self.replicas) }
        for index in 0..<objects { try await createObject(index) }
        objectCounter = objects
        for ordinal in 0..<replicas { try await startProcess(ordinal) }
    }

    func createObject(_ index: Int) async throws {
        _ = try await admin { try await self.harness.admin.create(Widget(name: "w-\(index)")) }
    }

    /// A request of the test itself (not of a process): retried through injected faults, which match
    /// every client.
    func admin<T>(_ body: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do { return try await body() } catch {
                attempt += 1
                if attempt >= 20 { throw error }
            }
        }
    }

    func startProcess(_ ordinal: Int) async throws {
        let pod = "op-\(ordinal)"
        let client = try await admin { try await self.harness.client(for: pod, clock: ImmediateClock()) }
        let leaseClient = KubernetesClient.leaseClient(
            configuration: client.configuration, transport: harness.emulator.transport, election: election,
            clock: ImmediateClock())
        processes[pod] = SimProcess(
            pod: pod, client: client, leaseClient: leaseClient, election: election, clock: clock)
        restartAt[pod] = nil
        note("start \(pod)")
    }

    // MARK: Time

    /// Advances the clock and runs one step of every process (random order), then checks invariants.
    func tick(_ duration: Duration) async throws {
        await clock.advance(by: duration)
        for (pod, at) in restartAt where at <= now && ordinal(pod) < replicas && processes[pod] == nil {
            try await startProcess(ordinal(pod))
        }
        for (pod, at) in healAt where at <= now {
            harness.emulator.faults.heal(harness.identity(pod))
            healAt[pod] = nil
            note("heal \(pod)")
        }
        for process in processes.values.sorted(by: { $0.pod < $1.pod }) where !process.isPaused(at: now) {
            watchdog(process)
        }
        checkOverlap("after watchdogs")
        var order = processes.keys.sorted()
        order.shuffle(using: &random)
        for pod in order {
            guard let process = processes[pod] else { continue }
            try await step(process)
            checkOverlap("after step of \(pod)")
        }
        try await checkOwnerless()
    }

    /// The renew-deadline watchdog: past the deadline, all work stops.
    func watchdog(_ process: SimProcess) {
        if !process.replica.mayAct, !process.work.isEmpty {
            note("\(process.pod) self-fences: cancels \(process.work.count) reconciles")
            stats["fenced work", default: 0] += process.work.count
            process.work = [:]
        }
    }

    // MARK: One process step

    func step(_ process: SimProcess) async throws {
        if process.isPaused(at: now) { return }
        process.pausedUntil = nil
        watchdog(process)
        if now >= process.nextRound {
            await process.replica.elector.tryAcquireOrRenew()
            let leading = process.replica.elector.isLeader
            if process.wasLeading && !leading {
                note("\(process.pod) lost its shard Lease: cancels all, new incarnation")
                process.work = [:]
                process.replica.nextIncarnation()
                stats["incarnations", default: 0] += 1
            }
            process.wasLeading = leading
            let jitter = leading ? 1.0 : 1 + Double(random.next() % 1000) / 1000 * ElectionConfiguration.jitterFactor
            process.nextRound = now.advanced(by: election.retryPeriod * jitter)
        }
        if process.terminatingSince == nil, now >= process.nextCoordinatorRound {
            let wasCoordinator = process.coordinator.elector.isLeader
            await process.coordinator.elector.tryAcquireOrRenew()
            if process.coordinator.elector.isLeader && !wasCoordinator {
                let kept = process.coordinator.startTerm()
                note("\(process.pod) became coordinator (Lease observations \(kept ? "kept" : "reset"))")
                if kept { stats["coordinator terms with kept observations", default: 0] += 1 }
                stats["coordinator terms", default: 0] += 1
            }
            if process.coordinator.elector.mayAct {
                let report = await process.coordinator.resync()
                for action in report.actions { stats[Self.name(of: action), default: 0] += 1 }
            } else if !process.coordinator.elector.isLeader {
                // As `Coordinator.run()` does: observe the Leases while another replica coordinates.
                await process.coordinator.observeLeases()
            }
            process.nextCoordinatorRound = now.advanced(by: election.retryPeriod)
        }
        guard process.replica.mayAct else { return }
        try await serve(process)
        if let since = process.terminatingSince {
            try await continueTermination(process, since: since)
        }
    }

    /// The work runtime of one process: reads its shard, acknowledges drains, starts and finishes work.
    func serve(_ process: SimProcess) async throws {
        guard
            let owned = try? await process.client.listAll(
                Widget.self, in: .named("apps"),
                options: ListOptions(labelSelector: ShardLabels.selector(shard: process.pod)))
        else { return }
        let ownedKeys = Set(owned.items.map(\.key))
        for key in process.work.keys where !ownedKeys.contains(key) {
            process.work[key] = nil  // left the shard: the DELETE event's cancellation hook
        }
        for object in owned.items {
            let labels = object.metadata.labels ?? [:]
            if labels[ShardLabels.drain] != nil {
                process.work[object.key] = nil  // cancel first, then acknowledge
                if (try? await process.replica.acknowledgeDrain(object.key)) != nil {
                    stats["drain acks", default: 0] += 1
                }
            } else if process.work[object.key] == nil, process.terminatingSince == nil, chance(0.4),
                let version = ResourceVersion(object.metadata.resourceVersion)
            {
                process.work[object.key] = SimWork(
                    snapshot: object, version: version, endsAt: now.advanced(by: seconds(0...6)))
                checkOverlap("\(process.pod) starts \(object.key)")
            }
        }
        for (key, item) in process.work.sorted(by: { $0.key < $1.key }) where item.endsAt <= now {
            process.work[key] = nil
            guard process.replica.mayAct else { continue }
            do {
                let _: Widget = try await process.client.patchStatus(
                    Widget.self, name: key.name, namespace: key.namespace, at: item.version,
                    merge: ["status": ["reconciledBy": .string(process.replica.identity.description)]])
                acceptedWrites += 1
                try await checkAcceptedWrite(process, item)
            } catch {
                stats["rejected writes", default: 0] += 1
            }
        }
    }

    func continueTermination(_ process: SimProcess, since: SimInstant) async throws {
        let bound = since.advanced(by: .seconds(10))
        guard process.work.isEmpty || now >= bound else { return }
        process.work = [:]
        await process.replica.elector.release()
        note("\(process.pod) released its shard Lease and exits")
        processes[process.pod] = nil
        if ordinal(process.pod) < replicas { restartAt[process.pod] = now.advanced(by: seconds(2...10)) }
    }

    func ordinal(_ pod: String) -> Int { Int(pod.dropFirst(3)) ?? 0 }

    static func name(of action: AssignmentAction) -> String {
        switch action {
        case .assign: "assign"
        case .move: "move"
        case .drain: "drain"
        case .cancelDrain: "cancel drain"
        case .takeOver: "takeover"
        case .deleteLease: "delete lease"
        }
    }
}
