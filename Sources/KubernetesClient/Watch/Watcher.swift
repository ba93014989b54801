package import Logging
import Transport

/// A resilient list-then-watch of one kind, as an `AsyncSequence` of ``WatcherEvent``s.
///
/// It drives a ``WatcherStateMachine`` through the client: pull-based, so it does work only while
/// someone iterates, and ending the iteration (or cancelling the task) closes the open watch. It never
/// ends by itself: failures are logged and retried with backoff; only cancellation ends it (the
/// iterator then returns nil).
package struct Watcher<R: KubernetesResource, C: Clock>: AsyncSequence, Sendable where C.Duration == Duration {
    package typealias Element = WatcherEvent<R>

    let client: KubernetesClient
    let namespaces: NamespaceSelection
    let configuration: WatcherConfiguration
    let clock: C
    let logger: Logger
    let transform: (@Sendable (R) -> R)?
    /// Set by ``remembering(in:)``.
    var lastKnown: Store<R>?

    /// - Parameter transform: applied to every object as it arrives, before the watcher keeps it or
    ///   yields it (client-go's `SetTransform`; ``KubernetesResource/withoutManagedFields`` is the
    ///   usual one): the watcher's own memory of the objects and every store filled from it hold only
    ///   the transformed objects.
    package init(
        client: KubernetesClient, _ type: R.Type, in namespaces: NamespaceSelection = .all,
        configuration: WatcherConfiguration = WatcherConfiguration(), clock: C,
        logger: Logger = Logger(label: "k8supdater.watcher"), transform: (@Sendable (R) -> R)? = nil
    ) {
        self.client = client
        self.namespaces = namespaces
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        self.transform = transform
    }

    /// The same watcher, remembering what it reported through `store` instead of a copy of every
    /// object (client-go's `knownObjects`): it keeps only resourceVersions, and reads the last state of
    /// an object a re-list finds deleted from the store.
    ///
    /// - Precondition: every event is applied to `store` (by its ``StoreWriter``) before the next one is
    ///   asked for, as ``reflect(into:)`` and ``runReflector(_:into:)`` do.
    package func remembering(in store: Store<R>) -> Watcher {
        var copy = self
        copy.lastKnown = store
        return copy
    }

    package func makeAsyncIterator() -> Iterator {
        Iterator(
            watcher: self,
            machine: WatcherStateMachine(configuration: configuration, transform: transform, lastKnown: lastKnown))
    }

    package struct Iterator: AsyncIteratorProtocol {
        let watcher: Watcher
        var machine: WatcherStateMachine<R, C.Instant>
        var pending: [WatcherEvent<R>] = []
        var pendingIndex = 0
        var stream: WatchEventStream<R>.Iterator?

        /// The next event, or nil once the task is cancelled.
        package mutating func next() async -> WatcherEvent<R>? {
            while true {
                if pendingIndex < pending.count {
                    defer { pendingIndex += 1 }
                    return pending[pendingIndex]
                }
                pending.removeAll(keepingCapacity: true)
                pendingIndex = 0
                if Task.isCancelled { return nil }
                let action = machine.nextAction(now: watcher.clock.now)
                if case .readWatch = action {} else { stream = nil }
                switch action {
                case .list(let options):
                    do {
                        let page = try await watcher.client.list(R.self, in: watcher.namespaces, options: options)
                        pending = machine.listed(page)
                    } catch {
                        report(error, during: "list")
                        machine.failed(error, now: watcher.clock.now)
                    }
                case .watch(let options):
                    do {
                        stream = try await watcher.client.watch(R.self, in: watcher.namespaces, options: options)
                            .makeAsyncIterator()
                        machine.watchOpened()
                    } catch {
                        report(error, during: "watch")
                        machine.failed(error, now: watcher.clock.now)
                    }
                case .readWatch:
                    do {
                        if let event = try await stream?.next() {
                            pending = machine.received(event, now: watcher.clock.now)
                        } else {
                            stream = nil
                            machine.watchEnded(now: watcher.clock.now)
                        }
                    } catch {
                        stream = nil
                        report(error, during: "watch")
                        machine.failed(error, now: watcher.clock.now)
                    }
                case .sleep(let until):
                    do { try await watcher.clock.sleep(until: until, tolerance: nil) } catch { return nil }
                }
            }
        }

        private func report(_ error: KubernetesError, during step: String) {
            if case .transport(.cancelled) = error { return }
            let level: Logger.Level = error.isRetryable ? .debug : .warning
            watcher.logger.log(
                level: level, "watcher \(step) failed; retrying",
                metadata: ["resource": "\(R.resourceType)", "error": "\(error)"])
        }
    }
}
