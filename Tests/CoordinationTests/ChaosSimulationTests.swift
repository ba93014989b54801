import Coordination
import Foundation
import Testing

/// The deterministic chaos simulation (§9.4): fixed seeds in CI; `CHAOS_SEEDS=1,2,3` (or
/// `CHAOS_SEEDS=random:50`) and `CHAOS_EVENTS` run more.
@Suite("Chaos simulation")
struct ChaosSimulationTests {
    static var seeds: [UInt64] {
        let environment = ProcessInfo.processInfo.environment
        guard let text = environment["CHAOS_SEEDS"] else { return [1, 2, 3] }
        if text.hasPrefix("random:"), let count = Int(text.dropFirst(7)) {
            return (0..<count).map { _ in UInt64.random(in: 1...UInt64(UInt32.max)) }
        }
        return text.split(separator: ",").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
    }

    static var events: Int { Int(ProcessInfo.processInfo.environment["CHAOS_EVENTS"] ?? "") ?? 1000 }

    @Test("invariants I1–I4 hold through ≥ 1,000 random events", arguments: seeds)
    func chaos(seed: UInt64) async throws {
        let harness = try await Harness.make()
        let world = ChaosWorld(harness: harness, seed: seed, replicas: 3)
        try await world.start(objects: 30)
        try await world.quiet(for: .seconds(40))
        for index in 0..<Self.events {
            try await world.perform(world.nextEvent())
            if !world.violations.isEmpty {
                Issue.record(
                    """
                    chaos seed \(seed) failed at event \(index); replay with CHAOS_SEEDS=\(seed)
                    \(world.violations.prefix(10).joined(separator: "\n"))
                    recent events:
                    \(world.log.joined(separator: "\n"))
                    """)
                return
            }
        }
        try await world.quiet(for: .seconds(150))
        try await world.checkConverged()
        #expect(
            world.violations.isEmpty,
            "chaos seed \(seed): replay with CHAOS_SEEDS=\(seed)\n\(world.violations.prefix(10).joined(separator: "\n"))\n\(world.log.joined(separator: "\n"))"
        )
        #expect(world.acceptedWrites > 0)
        print(
            "chaos seed \(seed): \(world.stats.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")) accepted writes=\(world.acceptedWrites)"
        )
    }
}
