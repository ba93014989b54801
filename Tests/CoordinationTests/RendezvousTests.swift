import Coordination
import Foundation
import KubernetesClient
import PropertyBased
import Testing

/// HRW hashing: balance, minimal movement, and the same answer in every process (§10 targets).
@Suite("Rendezvous hashing")
struct RendezvousTests {
    static func shards(_ count: Int) -> [String] { (0..<count).map { "k8supdater-\($0)" } }

    /// Keys like the operator's: `group/Kind/namespace/name`, random names.
    static func keys(_ count: Int, seed: UInt64) -> [String] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { index in
            "k8supdater.io/VersioningHandler/ns-\(random.next() % 37)/obj-\(index)-\(random.next() % 1_000_000)"
        }
    }

    static func bound(shards: Int, keys: Int) -> Double {
        1 + (2 * Double(shards) * log(Double(shards)) / Double(keys)).squareRoot()
    }

    @Test(
        "balance: mean over key sets of max/mean ≤ 1 + √(2·N·ln N / K)",
        arguments: [(3, 1000), (5, 1000), (10, 1000), (10, 10_000)])
    func balance(shardCount: Int, keyCount: Int) {
        let shards = Self.shards(shardCount)
        let trials = 12
        var ratios: [Double] = []
        for trial in 0..<trials {
            var counts: [String: Int] = [:]
            for key in Self.keys(keyCount, seed: UInt64(trial) &* 7919 &+ UInt64(keyCount)) {
                counts[Rendezvous.owner(of: key, among: shards) ?? "", default: 0] += 1
            }
            let mean = Double(keyCount) / Double(shardCount)
            ratios.append(Double(counts.values.max() ?? 0) / mean)
        }
        let average = ratios.reduce(0, +) / Double(trials)
        #expect(average <= Self.bound(shards: shardCount, keys: keyCount), "mean max/mean \(average)")
    }

    @Test("join: zero moves between survivors; every moved key goes to the new shard")
    func joinMovesOnlyToNewcomer() async {
        await propertyCheck(count: 60, input: Gen.int(in: 1...12), Gen.int(in: 0...1_000_000)) { count, seed in
            let before = Self.shards(count)
            let after = Self.shards(count + 1)
            for key in Self.keys(300, seed: UInt64(seed)) {
                let old = Rendezvous.owner(of: key, among: before)
                let new = Rendezvous.owner(of: key, among: after)
                #expect(old == new || new == "k8supdater-\(count)")
            }
        }
    }

    @Test("leave: only the departed shard's keys move (zero moves between survivors)")
    func leaveMovesOnlyDeparted() async {
        await propertyCheck(count: 60, input: Gen.int(in: 2...12), Gen.int(in: 0...1_000_000)) { count, seed in
            let before = Self.shards(count)
            let departed = before[seed % count]
            let after = before.filter { $0 != departed }
            for key in Self.keys(300, seed: UInt64(seed)) {
                let old = Rendezvous.owner(of: key, among: before)
                let new = Rendezvous.owner(of: key, among: after)
                #expect(old == departed || old == new)
            }
        }
    }

    @Test("moved fraction on join ≤ 1.1/(N+1) (mean over key sets)", arguments: [3, 5, 10])
    func joinFraction(count: Int) {
        let before = Self.shards(count)
        let after = Self.shards(count + 1)
        var fractions: [Double] = []
        for trial in 0..<10 {
            let keys = Self.keys(2000, seed: UInt64(1000 + trial))
            let moved = keys.filter {
                Rendezvous.owner(of: $0, among: before) != Rendezvous.owner(of: $0, among: after)
            }.count
            fractions.append(Double(moved) / Double(keys.count))
        }
        let mean = fractions.reduce(0, +) / Double(fractions.count)
        #expect(mean <= 1.1 / Double(count + 1), "mean moved fraction \(mean)")
    }

    @Test("identical assignments across processes: the checked-in golden table (computed with Python's hashlib)")
    func goldenTable() throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/rendezvous-v1", withExtension: "json"))
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
        #expect(golden.version == Rendezvous.version)
        #expect(golden.rows.count == 120)
        for row in golden.rows {
            #expect(Rendezvous.owner(of: row.key, among: Self.shards(row.shards)) == row.owner, "\(row.key)")
            #expect(
                String(Rendezvous.score(shard: "k8supdater-0", key: row.key), radix: 16).leftPadded(16) == row.score0)
        }
    }

    @Test("the object key is group/Kind/namespace/name")
    func objectKey() {
        #expect(
            Rendezvous.key(Widget.resourceType, ObjectKey(namespace: "apps", name: "w-1"))
                == "sharding.test/Widget/apps/w-1")
        #expect(Rendezvous.owner(of: "x", among: [String]()) == nil)
    }

    struct Golden: Decodable {
        struct Row: Decodable {
            var key: String
            var shards: Int
            var owner: String
            var score0: String
        }
        var version: Int
        var rows: [Row]
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

/// SplitMix64: a seeded generator, so failures replay.
struct SeededRandom: RandomNumberGenerator {
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
