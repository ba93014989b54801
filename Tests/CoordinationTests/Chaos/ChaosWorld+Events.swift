import Clocks
import Coordination
import Foundation
import KubeEmulator
import KubernetesClient

extension ChaosWorld {
    enum Event: String, CaseIterable {
        case tick, kill, sigterm, partition, pause, slow, scaleUp, scaleDown, coordinatorKill, serverErrors,
            throttling, appliedThenFailed, createObject, deleteObject
    }

    static let weights: [(Event, Int)] = [
        (.tick, 60), (.kill, 3), (.sigterm, 3), (.partition, 3), (.pause, 3), (.slow, 3), (.scaleUp, 2),
        (.scaleDown, 2), (.coordinatorKill, 2), (.serverErrors, 4), (.throttling, 3), (.appliedThenFailed, 3),
        (.createObject, 4), (.deleteObject, 2),
    ]

    func nextEvent() -> Event {
        let total = Self.weights.reduce(0) { $0 + $1.1 }
        var pick = Int(random.next() % UInt64(total))
        for (event, weight) in Self.weights {
            if pick < weight { return event }
            pick -= weight
        }
        return .tick
    }

    func randomProcess() -> SimProcess? {
        let pods = processes.keys.sorted()
        guard !pods.isEmpty else { return nil }
        return processes[pods[Int(random.next() % UInt64(pods.count))]]
    }

    /// Performs one random event (a disruption, or a tick of 1–3 s).
    func perform(_ event: Event) async throws {
        stats[event.rawValue, default: 0] += 1
        switch event {
        case .tick:
            try await tick(seconds(1...3))
        case .kill:
            guard let process = randomProcess() else { return }
            kill(process)
        case .sigterm:
            guard let process = randomProcess(), process.terminatingSince == nil else { return }
            await terminate(process)
        case .partition:
            guard let process = randomProcess(), healAt[process.pod] == nil else { return }
            await harness.emulator.partition(harness.identity(process.pod))
            healAt[process.pod] = now.advanced(by: seconds(3...40))
            note("partition \(process.pod)")
        case .pause:
            guard let process = randomProcess() else { return }
            process.pausedUntil = now.advanced(by: seconds(1...30))
            note("pause \(process.pod)")
        case .slow:
            // A slow response: the request takes effect now, the answer arrives 1–6 s later.
            guard let process = randomProcess(), !process.isPaused(at: now) else { return }
            process.nextRound = now
            try await step(process)
            checkOverlap("slow step of \(process.pod)")
            process.pausedUntil = now.advanced(by: seconds(1...6))
            note("slow responses for \(process.pod)")
        case .scaleUp:
            guard replicas < 6 else { return }
            replicas += 1
            try await admin { try await self.harness.setReplicas(self.replicas) }
            if processes["op-\(replicas - 1)"] == nil { try await startProcess(replicas - 1) }
            note("scale up to \(replicas)")
        case .scaleDown:
            guard replicas > 1 else { return }
            replicas -= 1
            try await admin { try await self.harness.setReplicas(self.replicas) }
            let pod = "op-\(replicas)"
            restartAt[pod] = nil
            if let process = processes[pod], process.terminatingSince == nil { await terminate(process) }
            note("scale down to \(replicas)")
        case .coordinatorKill:
            guard let process = processes.values.first(where: { $0.coordinator.elector.isLeader }) else { return }
            kill(process)
        case .serverErrors:
            harness.emulator.faults.failNext(
                Int(random.next() % 4) + 1, code: chance(0.5) ? 500 : 503)
        case .throttling:
            harness.emulator.faults.failNext(Int(random.next() % 4) + 1, code: 429, retryAfterSeconds: 1)
        case .appliedThenFailed:
            harness.emulator.faults.afterApply.failNext(1, verb: chance(0.5) ? "update" : "patch", code: 500)
        case .createObject:
            try await createObject(objectCounter)
            objectCounter += 1
        case .deleteObject:
            let objects = try await admin {
                try await self.harness.admin.listAll(Widget.self, in: .named("apps")).items
            }
            guard objects.count > 5 else { return }
            let victim = objects[Int(random.next() % UInt64(objects.count))]
            _ = try? await harness.admin.delete(Widget.self, name: victim.key.name, namespace: "apps")
        }
    }

    /// SIGKILL: the process is gone at once; the StatefulSet restarts the pod later (same name, new UUID).
    func kill(_ process: SimProcess) {
        processes[process.pod] = nil
        if ordinal(process.pod) < replicas { restartAt[process.pod] = now.advanced(by: seconds(5...40)) }
        note("kill \(process.pod)")
    }

    /// SIGTERM: stop and release the coordinator Lease, stop taking work; the rest happens in steps
    /// (in-flight work finishes within the bound, then the shard Lease is released and the process exits).
    func terminate(_ process: SimProcess) async {
        process.terminatingSince = now
        if process.coordinator.elector.isLeader { await process.coordinator.elector.release() }
        note("SIGTERM \(process.pod)")
    }

    /// Heals everything and lets the system settle for `duration`.
    func quiet(for duration: Duration) async throws {
        harness.emulator.faults.reset()
        for pod in healAt.keys { harness.emulator.faults.heal(harness.identity(pod)) }
        healAt = [:]
        for process in processes.values { process.pausedUntil = nil }
        for (pod, _) in restartAt { restartAt[pod] = now }
        let end = now.advanced(by: duration)
        while now < end { try await tick(.seconds(1)) }
    }
}
