/// Which stored objects name an owner (by uid) in `metadata.ownerReferences`: the garbage collector's
/// dependency graph and the workload controllers' "owned by" lookups without a scan of every object
/// (kube-controller-manager's informers index ReplicaSets and Pods by controller uid the same way).
///
/// Kept by ``Emulator/commit(_:_:object:old:)``, the single write path: every stored object's owner
/// uids are in the index exactly while it is stored.
struct OwnerIndex: Sendable {
    /// A stored object: its storage key (the resource) and its object key (`ns/name` or `name`).
    struct Entry: Hashable, Sendable {
        var storageKey: String
        var objectKey: String
    }

    private var dependents: [String: Set<Entry>] = [:]

    /// Records that `entry` now holds `new` (nil when deleted) in place of `old` (nil when created).
    mutating func replace(_ entry: Entry, old: JSON?, new: JSON?) {
        let before = Self.ownerUIDs(of: old)
        let after = Self.ownerUIDs(of: new)
        guard before != after else { return }
        for uid in before.subtracting(after) {
            dependents[uid]?.remove(entry)
            if dependents[uid]?.isEmpty == true { dependents[uid] = nil }
        }
        for uid in after.subtracting(before) { dependents[uid, default: []].insert(entry) }
    }

    /// The stored objects naming `uid` as an owner, in any resource, or only in `storageKey`.
    func dependents(of uid: String, in storageKey: String? = nil) -> [Entry] {
        guard let entries = dependents[uid] else { return [] }
        guard let storageKey else { return Array(entries) }
        return entries.filter { $0.storageKey == storageKey }
    }

    static func ownerUIDs(of object: JSON?) -> Set<String> {
        guard let owners = object?[path: ["metadata", "ownerReferences"]]?.arrayValue else { return [] }
        return Set(owners.compactMap { $0["uid"]?.stringValue })
    }
}
