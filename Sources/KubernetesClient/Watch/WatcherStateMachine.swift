import Transport

/// The list-then-watch protocol as a pure state machine (no I/O, time passed in).
///
/// Expected flow: the shell asks ``nextAction(now:)`` and performs it — list a page, open a watch, read
/// the open watch, or sleep — then reports the outcome (``listed(_:)``, ``watchOpened()``,
/// ``received(_:now:)``, ``watchEnded(now:)``, ``failed(_:now:)``), which returns the consumer events.
///
/// Guarantees:
/// - The first complete list is reported as `initStart`, `initApply`…, `initDone`.
/// - A watch starts from the list's resourceVersion with bookmarks and resumes from the last
///   resourceVersion seen (object or bookmark) after the stream ends or fails.
/// - 410 Gone (on the watch or in an `ERROR` event) re-lists at once; the new list is compared with the
///   objects known so far and only the differences are reported: `delete` (last known state) for
///   objects that vanished, `apply` for new objects and objects whose resourceVersion changed.
/// - An event that repeats a known object at the same resourceVersion, or deletes an unknown object,
///   is dropped: no phantom events.
/// - Failures wait ``Backoff`` delays (with jitter); any success resets it.
/// - Every object is passed through `transform` as it arrives (client-go's `SetTransform`), before it
///   is kept or reported: what the machine remembers and what every consumer stores is the
///   transformed object (drop what no reader needs, and a cache of many objects stays small — the
///   untransformed object is never held past its page or event).
package struct WatcherStateMachine<R: KubernetesResource, Instant: InstantProtocol>: Sendable
where Instant.Duration == Duration {
    /// What the shell must do next.
    package enum Action: Sendable, Hashable {
        case list(ListOptions)
        case watch(WatchOptions)
        /// Read the next event of the open watch.
        case readWatch
        case sleep(until: Instant)
    }

    enum Phase: Sendable {
        /// Paging through a list; `token` is the next page's continue token.
        case listing(token: String?, version: String?, items: [R])
        /// Watching from `version`; `open` once the request succeeded.
        case watching(version: String, open: Bool, eventsSeen: Int)
        /// Backing off; then `resume`.
        case waiting(until: Instant, resume: Resume)
    }

    enum Resume: Sendable {
        /// Continue (or restart, with a nil token) the list, keeping the pages already read.
        case list(token: String?, version: String?, items: [R])
        case watch(version: String)
    }

    package private(set) var configuration: WatcherConfiguration
    var phase: Phase = .listing(token: nil, version: nil, items: [])
    /// Every object the consumer has been told about, by key — boxed, as in ``Store``: a reference per
    /// entry instead of the model's inline bytes and the dictionary's spare capacity.
    private var knownObjects: [ObjectKey: Boxed<R>] = [:]
    /// Every object the consumer has been told about, by key.
    package var known: [ObjectKey: R] { knownObjects.mapValues(\.value) }
    /// Whether the first list has completed.
    package private(set) var hasSynced = false
    /// Applied to each object as it arrives.
    let transform: (@Sendable (R) -> R)?

    package init(configuration: WatcherConfiguration, transform: (@Sendable (R) -> R)? = nil) {
        self.configuration = configuration
        self.transform = transform
    }

    /// The next thing to do at `now`.
    package mutating func nextAction(now: Instant) -> Action {
        switch phase {
        case .listing(let token, _, _):
            return .list(listOptions(token: token))
        case .watching(let version, let open, _):
            if open { return .readWatch }
            return .watch(
                WatchOptions(
                    labelSelector: configuration.labelSelector, fieldSelector: configuration.fieldSelector,
                    resourceVersion: version, allowWatchBookmarks: true,
                    timeoutSeconds: configuration.watchTimeoutSeconds))
        case .waiting(let until, let resume):
            if now < until { return .sleep(until: until) }
            switch resume {
            case .list(let token, let version, let items):
                phase = .listing(token: token, version: version, items: items)
            case .watch(let version): phase = .watching(version: version, open: false, eventsSeen: 0)
            }
            return nextAction(now: now)
        }
    }

    /// A list page arrived; returns the events once the last page is in.
    package mutating func listed(_ page: ObjectList<R>) -> [WatcherEvent<R>] {
        guard case .listing(let token, let version, var items) = phase else { return [] }
        configuration.backoff.reset()
        if let transform {
            items.append(contentsOf: page.items.lazy.map(transform))
        } else {
            items.append(contentsOf: page.items)
        }
        let listVersion = token == nil ? page.metadata.resourceVersion : version
        if let next = page.metadata.continue, !next.isEmpty {
            phase = .listing(token: next, version: listVersion, items: items)
            return []
        }
        phase = .watching(version: listVersion ?? "0", open: false, eventsSeen: 0)
        return complete(items)
    }

    /// The watch request succeeded; its events follow.
    package mutating func watchOpened() {
        guard case .watching(let version, _, _) = phase else { return }
        phase = .watching(version: version, open: true, eventsSeen: 0)
    }

    /// An event of the open watch arrived.
    package mutating func received(_ event: WatchEvent<R>, now: Instant) -> [WatcherEvent<R>] {
        guard case .watching(let version, true, let seen) = phase else { return [] }
        configuration.backoff.reset()
        var output: [WatcherEvent<R>] = []
        switch transform.map({ event.mapObject($0) }) ?? event {
        case .added(let object), .modified(let object):
            let key = object.key
            if knownObjects[key]?.value.metadata.resourceVersion != object.metadata.resourceVersion {
                knownObjects[key] = Boxed(object)
                output.append(.apply(object))
            }
        case .deleted(let object):
            if knownObjects.removeValue(forKey: object.key) != nil { output.append(.delete(object)) }
        case .bookmark:
            break
        case .error(let status):
            failed(KubernetesError(watchStatus: status), now: now)
            return []
        }
        phase = .watching(version: event.resourceVersion ?? version, open: true, eventsSeen: seen + 1)
        return output
    }

    /// The server closed the watch cleanly: resume from the last resourceVersion — at once if it had
    /// delivered events, after a backoff if it had not (a server that keeps closing must not spin us).
    package mutating func watchEnded(now: Instant) {
        guard case .watching(let version, _, let seen) = phase else { return }
        if seen > 0 {
            phase = .watching(version: version, open: false, eventsSeen: 0)
        } else {
            phase = .waiting(until: now.advanced(by: configuration.backoff.next()), resume: .watch(version: version))
        }
    }

    /// The current list or watch failed with `error`.
    package mutating func failed(_ error: KubernetesError, now: Instant) {
        let isGone: Bool
        if case .gone = error { isGone = true } else { isGone = false }
        switch phase {
        case .listing(let token, let version, let items):
            let resume: Resume =
                isGone
                ? .list(token: nil, version: nil, items: []) : .list(token: token, version: version, items: items)
            phase = .waiting(until: now.advanced(by: configuration.backoff.next()), resume: resume)
        case .watching(let version, _, _):
            if isGone {
                phase = .listing(token: nil, version: nil, items: [])
            } else {
                phase = .waiting(
                    until: now.advanced(by: configuration.backoff.next()), resume: .watch(version: version))
            }
        case .waiting:
            break
        }
    }

    private func listOptions(token: String?) -> ListOptions {
        ListOptions(
            labelSelector: configuration.labelSelector, fieldSelector: configuration.fieldSelector,
            limit: configuration.pageSize, continueToken: token)
    }

    /// Turns a complete list into consumer events: the init sequence the first time, the differences
    /// with what is known afterwards.
    private mutating func complete(_ items: [R]) -> [WatcherEvent<R>] {
        var fresh: [ObjectKey: Boxed<R>] = Dictionary(minimumCapacity: items.count)
        for item in items { fresh[item.key] = Boxed(item) }
        defer {
            knownObjects = fresh
            hasSynced = true
        }
        guard hasSynced else {
            // One array of the final size: `[a] + map + [b]` made three, each every object inline.
            var events: [WatcherEvent<R>] = []
            events.reserveCapacity(items.count + 2)
            events.append(.initStart)
            for item in items { events.append(.initApply(item)) }
            events.append(.initDone)
            return events
        }
        var output: [WatcherEvent<R>] = []
        for key in knownObjects.keys.sorted() where fresh[key] == nil {
            if let gone = knownObjects[key] { output.append(.delete(gone.value)) }
        }
        for item in items
        where knownObjects[item.key]?.value.metadata.resourceVersion != item.metadata.resourceVersion {
            output.append(.apply(item))
        }
        return output
    }
}
