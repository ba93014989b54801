import ControllerRuntime
import Testing
import Transport

@Suite("PeriodicSchedule: phases from the uid, wall-clock slots")
struct PeriodicScheduleTests {
    /// Deterministic uid-like strings (what the API server generates: random UUIDs).
    static func uids(_ count: Int, seed: UInt64) -> [String] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let a = generator.next()
            let b = generator.next()
            let hex = String(a, radix: 16) + String(b, radix: 16)
            let padded = String(repeating: "0", count: max(0, 32 - hex.count)) + hex
            let chars = Array(padded.prefix(32))
            return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(chars[$0]) }.joined(separator: "-")
        }
    }

    static let epoch2026 = Duration.seconds(1_796_000_000)

    /// 10,000 objects with one interval: the busiest tenth of the window holds at most 1.2× the mean.
    @Test("10,000 objects spread evenly over their interval")
    func spread() throws {
        let interval = Duration.seconds(300)
        var schedule = PeriodicSchedule<String>()
        let start = Self.epoch2026 + .milliseconds(123_456)
        for uid in Self.uids(10_000, seed: 1) {
            try schedule.schedule(uid, uid: uid, interval: interval, lastChecked: nil, now: start)
        }
        var buckets = [Int](repeating: 0, count: 10)
        let fired = schedule.popDue(now: start + interval - .nanoseconds(1))
        #expect(fired.count == 10_000, "each object is due exactly once within one interval")
        for slot in fired {
            let offset = slot.due - start
            #expect(offset >= .zero && offset < interval)
            buckets[Int(offset / (interval / 10))] += 1
        }
        let mean = 10_000 / 10
        #expect(Double(buckets.max() ?? 0) <= 1.2 * Double(mean), "buckets \(buckets)")
    }

    /// The same uid has the same slots in any process: the phase is a stable hash, not Swift's `Hasher`.
    @Test("phase is stable across processes (fixed vector)")
    func stablePhase() throws {
        let phase = try PeriodicSchedule<String>.phase(
            of: "0b5a3c6e-1f2d-4e5f-8a9b-0c1d2e3f4a5b", interval: .seconds(3600))
        let again = try PeriodicSchedule<String>.phase(
            of: "0b5a3c6e-1f2d-4e5f-8a9b-0c1d2e3f4a5b", interval: .seconds(3600))
        #expect(phase == again)
        // SHA-256("0b5a…4a5b") truncated to 64 bits, mod 3.6e9 µs: computed once, must never change.
        #expect(
            phase == .microseconds(2_913_331_260))
        #expect(try StableHash.hash64("abc") == 0xba78_16bf_8f01_cfea)
    }

    /// Runs a schedule from `from` to `to`, firing at every due instant; returns (key, fire time).
    static func run(
        _ schedule: inout PeriodicSchedule<String>, from: Duration, to: Duration
    ) -> [(key: String, at: Duration)] {
        var fired: [(key: String, at: Duration)] = []
        var now = from
        while let due = schedule.nextDue(), due <= to {
            now = max(now, due)
            for slot in schedule.popDue(now: now) {
                #expect(slot.due <= now)
                fired.append((slot.key, now))
            }
        }
        return fired
    }

    /// A restart at a random moment (the new process rebuilds the schedule from the objects and the
    /// `lastChecked` their status would show) checks each object exactly at its slots: nothing early,
    /// nothing doubled, nothing skipped.
    @Test("a restart at a random moment neither re-checks early nor skips", arguments: [1, 2, 3, 4, 5])
    func restart(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let interval = Duration.seconds(60)
        let uids = Self.uids(500, seed: seed)
        let start = Self.epoch2026 + .nanoseconds(Int64(generator.next() % 1_000_000_000_000))
        let end = start + interval * 5
        // A random restart moment, sometimes exactly on somebody's slot.
        var restartAt = start + .nanoseconds(Int64(generator.next() % UInt64(5 * 60 * 1_000_000_000)))
        let phases = try uids.map { (uid) throws(DigestError) in
            try PeriodicSchedule<String>.phase(of: uid, interval: interval)
        }
        if seed % 2 == 0 {
            let onSlot = Self.slot(atOrAfter: restartAt, phase: phases[0], interval: interval)
            if onSlot < end { restartAt = onSlot }
        }

        var before = PeriodicSchedule<String>()
        for uid in uids { try before.schedule(uid, uid: uid, interval: interval, lastChecked: nil, now: start) }
        let firstRun = Self.run(&before, from: start, to: restartAt)
        var lastChecked: [String: Duration] = [:]
        for check in firstRun { lastChecked[check.key] = check.at }

        var after = PeriodicSchedule<String>()
        for uid in uids {
            try after.schedule(uid, uid: uid, interval: interval, lastChecked: lastChecked[uid], now: restartAt)
        }
        let secondRun = Self.run(&after, from: restartAt, to: end)

        for (index, uid) in uids.enumerated() {
            let checks = (firstRun + secondRun).filter { $0.key == uid }.map(\.at)
            var expected: [Duration] = []
            var slot = Self.slot(atOrAfter: start, phase: phases[index], interval: interval)
            while slot <= end {
                expected.append(slot)
                slot += interval
            }
            #expect(checks == expected, "object \(index) restartAt \(restartAt - start)")
        }
    }

    /// After an outage longer than an interval, overdue objects are reported and checked at their next
    /// slot — spread as before, never all at once.
    @Test("an outage: overdue objects are flagged and checked at their next slot, not at once")
    func outageIsNoBurst() throws {
        let interval = Duration.seconds(60)
        let uids = Self.uids(1000, seed: 9)
        var schedule = PeriodicSchedule<String>(tolerance: .seconds(30))
        let restart = Self.epoch2026 + .seconds(7200)
        var overdue = 0
        for uid in uids {
            let admission = try schedule.schedule(
                uid, uid: uid, interval: interval, lastChecked: restart - .seconds(1800), now: restart)
            if let behind = admission.behind {
                overdue += 1
                #expect(behind == .seconds(1800 - 60 - 30))
            }
            #expect(admission.due >= restart && admission.due < restart + interval)
        }
        #expect(overdue == 1000)
        let immediate = schedule.popDue(now: restart + .seconds(1))
        #expect(immediate.count < 50, "no burst: about 1/60 of the objects per second")
    }

    /// An interval change keeps the pending slot and applies from the next one.
    @Test("a new interval takes effect at the next check")
    func intervalChange() throws {
        var schedule = PeriodicSchedule<String>()
        let now = Self.epoch2026
        let first = try schedule.schedule("k", uid: "uid-1", interval: .seconds(600), lastChecked: nil, now: now).due
        let again = try schedule.schedule("k", uid: "uid-1", interval: .seconds(60), lastChecked: nil, now: now).due
        #expect(again == first, "pending slot kept")
        let fired = schedule.popDue(now: first)
        #expect(fired.map(\.key) == ["k"])
        let next = try #require(schedule.due(of: "k"))
        #expect(next > first && next <= first + .seconds(60))
        #expect(
            next
                == Self.slot(
                    atOrAfter: first + .nanoseconds(1),
                    phase: try PeriodicSchedule<String>.phase(of: "uid-1", interval: .seconds(60)),
                    interval: .seconds(60)))
    }

    /// A late firing never produces a catch-up burst: the next slot is after the firing moment.
    @Test("a late firing skips to the next slot after now")
    func lateFiring() throws {
        var schedule = PeriodicSchedule<String>()
        let due = try schedule.schedule("k", uid: "u", interval: .seconds(10), lastChecked: nil, now: Self.epoch2026)
            .due
        let late = due + .seconds(35)
        #expect(schedule.popDue(now: late).count == 1)
        let next = try #require(schedule.due(of: "k"))
        #expect(next == due + .seconds(40))
        #expect(schedule.popDue(now: late).isEmpty)
    }

    /// A new uid under the same key (deleted and recreated) gets its own phase.
    @Test("a recreated object (new uid) is rescheduled; removal forgets it")
    func newUid() throws {
        var schedule = PeriodicSchedule<String>()
        let now = Self.epoch2026
        try schedule.schedule("k", uid: "old", interval: .seconds(3600), lastChecked: nil, now: now)
        let due = try schedule.schedule("k", uid: "new", interval: .seconds(3600), lastChecked: nil, now: now).due
        let newPhase = try PeriodicSchedule<String>.phase(of: "new", interval: .seconds(3600))
        #expect(due == Self.slot(atOrAfter: now, phase: newPhase, interval: .seconds(3600)))
        schedule.remove("k")
        #expect(schedule.nextDue() == nil)
        #expect(schedule.count == 0)
    }

    static func slot(atOrAfter time: Duration, phase: Duration, interval: Duration) -> Duration {
        let intervalNanos = nanos(interval)
        var offset = (nanos(phase) - nanos(time)) % intervalNanos
        if offset < 0 { offset += intervalNanos }
        return time + .nanoseconds(offset)
    }

    static func nanos(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}

/// SplitMix64: deterministic test randomness.
struct SeededGenerator: RandomNumberGenerator {
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
