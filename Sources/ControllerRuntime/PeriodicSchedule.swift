import HeapModule
package import Transport

/// When each object is due for its periodic check, as a sans-IO state machine over wall-clock time
/// (durations since the Unix epoch), at microsecond resolution.
///
/// Each key has a fixed **phase** inside its interval, derived from a ``StableHash`` of its uid; its
/// slots are the wall-clock instants `phase + k·interval`. So K objects with one interval spread
/// evenly over it, and a restart or another replica lands on the same slots.
///
/// Guarantees:
/// - A key is first due at its first slot at or after the moment it is added — never earlier, and
///   never "now" just because it was missed: an overdue object (``Admission/behind``) waits for its
///   next slot like everyone else, so a restart after an outage is no burst. A `lastChecked` at or
///   after that first slot (the check already ran) moves it one interval later.
/// - After a key fires, its next slot is the first one strictly after the firing moment: a late
///   firing never produces a catch-up burst.
/// - A changed interval takes effect when the key next fires (its pending slot is kept).
/// - Memory is O(keys): one entry per key plus a heap that is compacted when stale entries pile up.
package struct PeriodicSchedule<Key: Hashable & Sendable>: Sendable {
    /// One due check.
    package struct Slot: Sendable, Hashable {
        package var key: Key
        /// The slot's wall time (since the epoch).
        package var due: Duration
    }

    /// What ``schedule(_:uid:interval:lastChecked:now:)`` decided for a key.
    package struct Admission: Sendable, Hashable {
        /// The key's pending slot.
        package var due: Duration
        /// How far its status says it is behind (now − lastChecked − interval − tolerance) when that is
        /// positive: a missed cycle. Nil when not behind, unknown, or the key was already scheduled.
        package var behind: Duration?
    }

    private struct Entry: Sendable {
        var hash: UInt64
        var interval: Int64
        var pendingInterval: Int64?
        var due: Int64
    }

    private struct Item: Comparable, Sendable {
        var due: Int64
        var key: Key

        static func < (lhs: Item, rhs: Item) -> Bool { lhs.due < rhs.due }
        static func == (lhs: Item, rhs: Item) -> Bool { lhs.due == rhs.due }
    }

    /// How stale a `lastChecked` may be without meaning a missed cycle, beyond one interval: the
    /// status heartbeat (statuses are written on change or every heartbeat, not at every check).
    package var tolerance: Duration

    private var entries: [Key: Entry] = [:]
    private var heap = Heap<Item>()

    package init(tolerance: Duration = .seconds(300)) {
        self.tolerance = tolerance
    }

    /// Keys scheduled.
    package var count: Int { entries.count }

    /// The pending slot of `key`, if scheduled.
    package func due(of key: Key) -> Duration? { entries[key].map { .microseconds($0.due) } }

    /// The phase of `uid` in `interval` (offset of its slots from the epoch's slot grid), in whole
    /// microseconds (so slots survive a round trip through `Date`).
    ///
    /// - Throws: `DigestError` when libcrypto cannot hash the uid.
    package static func phase(of uid: String, interval: Duration) throws(DigestError) -> Duration {
        let length = max(microseconds(interval), minimumInterval)
        return .microseconds(Int64(try StableHash.hash64(uid) % UInt64(length)))
    }

    /// Schedules `key` (identified for phase purposes by `uid`) every `interval`.
    ///
    /// A new key (or one whose uid changed: a new object under the same name) gets its first slot at
    /// or after `now`. An already scheduled key keeps its pending slot; a changed interval applies
    /// from its next firing.
    ///
    /// - Throws: `DigestError` when libcrypto cannot hash the uid (nothing is changed then).
    @discardableResult
    package mutating func schedule(
        _ key: Key, uid: String, interval: Duration, lastChecked: Duration?, now: Duration
    ) throws(DigestError) -> Admission {
        let length = max(Self.microseconds(interval), Self.minimumInterval)
        let hash = try StableHash.hash64(uid)
        if var entry = entries[key], entry.hash == hash {
            entry.pendingInterval = length == entry.interval ? nil : length
            entries[key] = entry
            return Admission(due: .microseconds(entry.due), behind: nil)
        }
        var due = Self.slot(atOrAfter: Self.microseconds(now, roundingUp: true), hash: hash, interval: length)
        var behind: Duration?
        if let lastChecked {
            let last = Self.microseconds(lastChecked)
            if last >= due { due = Self.slot(atOrAfter: last &+ 1, hash: hash, interval: length) }
            let lag = now - lastChecked - .microseconds(length) - tolerance
            if lag > .zero { behind = lag }
        }
        entries[key] = Entry(hash: hash, interval: length, pendingInterval: nil, due: due)
        heap.insert(Item(due: due, key: key))
        compactIfNeeded()
        return Admission(due: .microseconds(due), behind: behind)
    }

    /// Stops scheduling `key`.
    package mutating func remove(_ key: Key) {
        entries[key] = nil
        compactIfNeeded()
    }

    /// The earliest pending slot (drops stale heap entries on the way).
    package mutating func nextDue() -> Duration? {
        while let top = heap.min {
            if entries[top.key]?.due == top.due { return .microseconds(top.due) }
            heap.removeMin()
        }
        return nil
    }

    /// Returns every slot due by `now`, each key at most once, and schedules each key's next slot:
    /// the first one strictly after `now` (with its new interval, if it changed).
    package mutating func popDue(now: Duration) -> [Slot] {
        let nowMicros = Self.microseconds(now)
        var fired: [Slot] = []
        while let top = heap.min, top.due <= nowMicros {
            heap.removeMin()
            guard var entry = entries[top.key], entry.due == top.due else { continue }
            fired.append(Slot(key: top.key, due: .microseconds(top.due)))
            if let pending = entry.pendingInterval {
                entry.interval = pending
                entry.pendingInterval = nil
            }
            entry.due = Self.slot(atOrAfter: nowMicros &+ 1, hash: entry.hash, interval: entry.interval)
            entries[top.key] = entry
            heap.insert(Item(due: entry.due, key: top.key))
        }
        return fired
    }

    private mutating func compactIfNeeded() {
        guard heap.count > 2 * entries.count + 1024 else { return }
        heap = Heap(entries.map { Item(due: $0.value.due, key: $0.key) })
    }

    /// Below this (in µs) an interval is treated as 1 ms (a zero or negative interval cannot define slots).
    static var minimumInterval: Int64 { 1_000 }

    /// The first instant ≥ `time` whose offset from the epoch is ≡ hash (mod interval).
    static func slot(atOrAfter time: Int64, hash: UInt64, interval: Int64) -> Int64 {
        let phase = Int64(hash % UInt64(interval))
        var offset = (phase &- time) % interval
        if offset < 0 { offset += interval }
        return time &+ offset
    }

    /// Whole microseconds in `duration` (rounded down, or up), saturating at ±2⁶³.
    static func microseconds(_ duration: Duration, roundingUp: Bool = false) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        var fraction = attoseconds / 1_000_000_000_000
        if attoseconds % 1_000_000_000_000 != 0, roundingUp == (attoseconds > 0) { fraction += roundingUp ? 1 : -1 }
        let (sum, overflow2) = scaled.addingReportingOverflow(fraction)
        if overflow2 { return seconds < 0 ? .min : .max }
        return sum
    }
}
