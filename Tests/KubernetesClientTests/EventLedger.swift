import KubernetesClient
import Synchronization

/// Replays watcher events into a model and records every phantom or duplicate it sees.
///
/// A phantom is a delete of an object the consumer was never told about, or an apply that repeats the
/// version it already has; the model must end equal to the server's state (no lost events).
final class EventLedger<R: KubernetesResource>: Sendable {
    struct State {
        var versions: [ObjectKey: String] = [:]
        var buffer: [ObjectKey: String]?
        var problems: [String] = []
        var deletes: [ObjectKey] = []
        var applies = 0
    }

    let state = Mutex(State())

    func record(_ event: WatcherEvent<R>) {
        state.withLock { state in
            switch event {
            case .initStart:
                state.buffer = [:]
            case .initApply(let object):
                state.buffer?[object.key] = object.metadata.resourceVersion
            case .initDone:
                state.versions = state.buffer ?? [:]
                state.buffer = nil
            case .apply(let object):
                if state.versions[object.key] == object.metadata.resourceVersion {
                    state.problems.append("duplicate apply of \(object.key)@\(object.metadata.resourceVersion ?? "")")
                }
                state.versions[object.key] = object.metadata.resourceVersion
                state.applies += 1
            case .delete(let object):
                if state.versions.removeValue(forKey: object.key) == nil {
                    state.problems.append("phantom delete of \(object.key)")
                }
                state.deletes.append(object.key)
            }
        }
    }

    var versions: [ObjectKey: String] { state.withLock { $0.versions } }
    var problems: [String] { state.withLock { $0.problems } }
    var deletes: [ObjectKey] { state.withLock { $0.deletes } }
}
