import Synchronization

/// The read side of a watch cache: a snapshot of the objects of one kind, kept current by a
/// ``StoreWriter``, with a "synced" signal (kube-rs `reflector::Store`).
///
/// Readers may be anywhere (it is `Sendable`); reads are consistent snapshots. Nothing is visible until
/// the first full list has been applied (``isSynced``).
package final class Store<R: KubernetesResource>: Sendable {
    struct State {
        /// Boxed: a dictionary keeps its values inline with spare capacity (up to twice the count), and
        /// a decoded model is hundreds of bytes inline, so boxes cost less than the slack.
        var objects: [ObjectKey: Boxed<R>] = [:]
        /// The secondary index, when the writer has an indexer.
        var index = StoreIndex()
        /// A list in progress (between initStart and initDone).
        var buffer: [ObjectKey: Boxed<R>]?
        var synced = false
        /// Tasks in ``Store/waitUntilSynced()``: resumed with true when synced, false when cancelled.
        var waiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]
        var nextWaiterID: UInt64 = 0
    }

    let state = Mutex(State())

    init() {}

    /// The object with that key, if present.
    package func get(_ key: ObjectKey) -> R? { state.withLock { $0.objects[key]?.value } }

    /// The objects whose indexer (``StoreWriter/init(indexer:)``) gave `value`, sorted by
    /// key; none when the writer has no indexer.
    package func objects(indexedBy value: String) -> [R] {
        state.withLock { state in state.index.keys(for: value).compactMap { state.objects[$0]?.value } }
    }

    /// Every object, sorted by key.
    package func list() -> [R] {
        state.withLock { state in state.objects.sorted { $0.key < $1.key }.map(\.value.value) }
    }

    /// The keys present, sorted.
    package var keys: [ObjectKey] { state.withLock { $0.objects.keys.sorted() } }

    package var count: Int { state.withLock { $0.objects.count } }

    /// Whether the first full list has been applied.
    package var isSynced: Bool { state.withLock { $0.synced } }

    /// Returns once the store is synced (immediately if it already is).
    ///
    /// - Throws: `CancellationError` when the waiting task is cancelled before the store is synced.
    package func waitUntilSynced() async throws(CancellationError) {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        let synced = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let answer: Bool? = state.withLock { state in
                    if state.synced { return true }
                    // Cancelled before we registered: the handler below found nothing to resume.
                    if Task.isCancelled { return false }
                    state.waiters[id] = continuation
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: false)
        }
        if !synced { throw CancellationError() }
    }
}

/// The only writer of a ``Store`` (kube-rs `reflector::store::Writer`): applies ``WatcherEvent``s.
package struct StoreWriter<R: KubernetesResource>: Sendable {
    /// The store this writer fills; hand it to readers.
    package let store: Store<R>
    /// The store's secondary index values of each object (``Store/objects(indexedBy:)``).
    let indexer: (@Sendable (R) -> [String])?

    /// Objects are stored as the events bring them: a transform (dropping what no reader needs)
    /// belongs to the ``Watcher`` (`transform:`), so the watcher's own memory of the objects is slim too.
    package init(indexer: (@Sendable (R) -> [String])? = nil) {
        store = Store()
        self.indexer = indexer
    }

    /// Applies one event: `initStart` opens a buffer, `initApply` fills it, `initDone` swaps it in and
    /// marks the store synced; `apply`/`delete` change the live contents.
    package func apply(_ event: WatcherEvent<R>) {
        let waiters: [CheckedContinuation<Bool, Never>] = store.state.withLock { state in
            switch event {
            case .initStart:
                state.buffer = [:]
            case .initApply(let object):
                state.buffer = state.buffer ?? [:]
                state.buffer?[object.key] = Boxed(object)
            case .initDone:
                state.objects = state.buffer ?? [:]
                state.buffer = nil
                if let indexer { state.index = StoreIndex(state.objects, values: { indexer($0.value) }) }
                if !state.synced {
                    state.synced = true
                    defer { state.waiters = [:] }
                    return Array(state.waiters.values)
                }
            case .apply(let object):
                state.objects[object.key] = Boxed(object)
                if let indexer { state.index.set(object.key, values: indexer(object)) }
            case .delete(let object):
                state.objects[object.key] = nil
                state.index.remove(object.key)
            }
            return []
        }
        for waiter in waiters { waiter.resume(returning: true) }
    }
}

/// One object on the heap, so that dictionaries of many objects hold a reference each instead of the
/// model's inline bytes (and their spare capacity).
final class Boxed<Value: Sendable>: Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
