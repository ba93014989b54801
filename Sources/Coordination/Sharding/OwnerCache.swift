/// The coordinator's HRW choices of its last round, reused while the shard sets stay the same (a
/// sans-IO value the coordinator keeps between rounds).
///
/// A round decides every object's owner by hashing its key against every available shard: K × N
/// SHA-256 per round, seconds of CPU at 100,000 objects and 20 shards, every retry period. An object's
/// choice depends only on its key and on the available and ready shard sets, so while both sets are
/// the ones of the previous round the cached choice is the one hashing would give again: an idle round
/// costs one dictionary lookup per object. A change of either set drops every choice.
///
/// Guarantees: ``AssignmentPlan/actions(type:objects:membership:replicas:now:cache:)`` decides the same
/// actions with or without a cache; the cache holds only the keys of the last round's objects.
package struct OwnerCache: Sendable {
    /// One object's choices: the HRW owner among the available shards, and where a new placement goes.
    struct Choice: Sendable, Hashable {
        var desired: String
        var placement: String?
    }

    private var available: [String] = []
    private var ready: [String] = []
    private var choices: [String: Choice] = [:]
    private var next: [String: Choice] = [:]
    /// Choices reused and computed since ``begin(available:ready:)`` (for tests and metrics).
    package private(set) var hits = 0
    package private(set) var misses = 0

    package init() {}

    /// How many objects' choices are cached.
    package var count: Int { choices.count }

    /// Starts a round on these shard sets (sorted): when either differs from the last round's, every
    /// cached choice is dropped.
    mutating func begin(available: [String], ready: [String], objects: Int) {
        if available != self.available || ready != self.ready {
            choices = [:]
            self.available = available
            self.ready = ready
        }
        next = [:]
        next.reserveCapacity(objects)
        hits = 0
        misses = 0
    }

    /// The cached choice for `hashKey`, or the one `compute` makes (nil when it cannot be made, e.g.
    /// libcrypto failed: then nothing is cached and the next round tries again).
    mutating func choice(for hashKey: String, compute: () -> Choice?) -> Choice? {
        if let cached = choices[hashKey] {
            hits += 1
            next[hashKey] = cached
            return cached
        }
        misses += 1
        guard let computed = compute() else { return nil }
        next[hashKey] = computed
        return computed
    }

    /// Ends the round: only this round's objects stay cached (deleted objects are forgotten).
    mutating func end() {
        choices = next
        next = [:]
    }
}
