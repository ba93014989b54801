/// A secondary index of a ``Store``: each object's index values (e.g. the uids of its owners) → the
/// keys of the objects that have that value (client-go's `cache.Indexers`, one index).
///
/// A value type with no I/O, kept by ``StoreWriter`` under the store's lock.
struct StoreIndex: Sendable {
    private var keysByValue: [String: Set<ObjectKey>] = [:]
    private var valuesByKey: [ObjectKey: [String]] = [:]

    /// Records that `key` now has `values` (replacing the values it had).
    mutating func set(_ key: ObjectKey, values: [String]) {
        remove(key)
        guard !values.isEmpty else { return }
        valuesByKey[key] = values
        for value in values { keysByValue[value, default: []].insert(key) }
    }

    /// Forgets `key`.
    mutating func remove(_ key: ObjectKey) {
        guard let old = valuesByKey.removeValue(forKey: key) else { return }
        for value in old {
            keysByValue[value]?.remove(key)
            if keysByValue[value]?.isEmpty == true { keysByValue[value] = nil }
        }
    }

    /// The keys with `value`, sorted.
    func keys(for value: String) -> [ObjectKey] { (keysByValue[value] ?? []).sorted() }

    /// An index of `objects` by `values`.
    init<Value>(_ objects: [ObjectKey: Value], values: (Value) -> [String]) {
        for (key, object) in objects { set(key, values: values(object)) }
    }

    init() {}
}
