import ArgumentParser
import Coordination
import Foundation

/// `k8supdater-bench sharding`: balance and movement of the rendezvous assignment (deterministic
/// counts over seeded key sets, no timings).
struct ShardingBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sharding",
        abstract: "Balance (max/mean) and moves on join/leave of HRW over seeded key sets (a Markdown table)."
    )

    @Option(help: "Replica counts N, comma-separated.")
    var replicas = "3,5,10"

    @Option(help: "Object counts K, comma-separated.")
    var objects = "1000,10000"

    @Option(help: "Key sets (trials) per row.")
    var trials = 30

    func run() throws {
        let replicaCounts = replicas.split(separator: ",").compactMap { Int($0) }
        let objectCounts = objects.split(separator: ",").compactMap { Int($0) }
        print(
            "| N | K | mean max/mean | worst max/mean | target 1+√(2N·lnN/K) | moved on join (ideal 1/(N+1)) "
                + "| survivor moves on join | moved on leave (ideal 1/N) | survivor moves on leave |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for count in replicaCounts {
            for keys in objectCounts {
                print(row(shards: count, keys: keys))
            }
        }
    }

    func row(shards count: Int, keys keyCount: Int) -> String {
        let members = (0..<count).map { "k8supdater-\($0)" }
        let joined = members + ["k8supdater-\(count)"]
        var ratios: [Double] = []
        var joinMoved = 0
        var leaveMoved = 0
        var survivorMovesJoin = 0
        var survivorMovesLeave = 0
        for trial in 0..<trials {
            var random = SplitMix(seed: UInt64(trial) &* 0x9E37 &+ UInt64(keyCount))
            let departed = members[Int(random.next() % UInt64(count))]
            let survivors = members.filter { $0 != departed }
            var counts: [String: Int] = [:]
            for index in 0..<keyCount {
                let key = "k8supdater.io/VersioningHandler/ns-\(random.next() % 37)/obj-\(trial)-\(index)"
                let owner = Rendezvous.owner(of: key, among: members) ?? ""
                counts[owner, default: 0] += 1
                let afterJoin = Rendezvous.owner(of: key, among: joined) ?? ""
                if afterJoin != owner {
                    joinMoved += 1
                    if afterJoin != "k8supdater-\(count)" { survivorMovesJoin += 1 }
                }
                let afterLeave = Rendezvous.owner(of: key, among: survivors) ?? ""
                if afterLeave != owner {
                    leaveMoved += 1
                    if owner != departed { survivorMovesLeave += 1 }
                }
            }
            ratios.append(Double(counts.values.max() ?? 0) / (Double(keyCount) / Double(count)))
        }
        let total = Double(trials * keyCount)
        let mean = ratios.reduce(0, +) / Double(ratios.count)
        let target = 1 + (2 * Double(count) * log(Double(count)) / Double(keyCount)).squareRoot()
        func f(_ value: Double) -> String { String(format: "%.3f", value) }
        return
            "| \(count) | \(keyCount) | \(f(mean)) | \(f(ratios.max() ?? 0)) | \(f(target)) "
            + "| \(f(Double(joinMoved) / total)) (\(f(1 / Double(count + 1)))) | \(survivorMovesJoin) "
            + "| \(f(Double(leaveMoved) / total)) (\(f(1 / Double(count)))) | \(survivorMovesLeave) |"
    }
}

/// SplitMix64, so the key sets are the same in every run.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
