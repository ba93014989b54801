/// What a ``Watcher`` tells its consumer (kube-rs's `watcher::Event`).
///
/// The first list arrives as ``initStart``, one ``initApply`` per object, then ``initDone``; a store
/// replaces its contents at ``initDone``. A second ``initStart`` before ``initDone`` means the list
/// restarted from scratch: drop what was buffered. Afterwards every change is an ``apply`` or a
/// ``delete`` — also after a re-list (410 Gone), where the watcher compares the new list with what it
/// had seen and reports only the differences: changed or new objects applied as the pages arrive,
/// then objects that vanished during the gap deleted, unchanged ones not repeated.
package enum WatcherEvent<R: KubernetesResource>: Sendable {
    /// A full list starts (a store begins a fresh buffer, dropping one in progress).
    case initStart
    /// One object of that list.
    case initApply(R)
    /// The list is complete (a store swaps the buffer in and is synced).
    case initDone
    /// An object was created or changed.
    case apply(R)
    /// An object was deleted; this is its last known state.
    case delete(R)

    /// The object the event carries, if any.
    package var object: R? {
        switch self {
        case .initApply(let object), .apply(let object), .delete(let object): object
        case .initStart, .initDone: nil
        }
    }
}

extension WatcherEvent: Equatable where R: Equatable {}
