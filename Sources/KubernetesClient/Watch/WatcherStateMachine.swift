import Transport

/// The list-then-watch protocol as a pure state machine (no I/O, time passed in).
///
/// Expected flow: the shell asks ``nextAction(now:)`` and performs it — list a page, open a watch, read
/// the open watch, or sleep — then reports the outcome (``listed(_:)``, ``watchOpened()``,
/// ``received(_:now:)``, ``watchEnded(now:)``, ``failed(_:now:)``), which returns the consumer events.
///
/// Guarantees:
/// - The first list is reported as `initStart`, `initApply`…, `initDone`, page by page as the pages
///   arrive (no array of every object exists: that transient was a replica's peak memory); a list
///   restarted from its first page before it completed (its continue token expired) reports
///   `initStart` again.
/// - A watch starts from the list's resourceVersion with bookmarks and resumes from the last
///   resourceVersion seen (object or bookmark) after the stream ends or fails.
/// - 410 Gone (on the watch or in an `ERROR` event) re-lists at once; the new list is compared with the
///   objects known so far and only the differences are reported: `apply` for new objects and objects
///   whose resourceVersion changed as pages arrive, then `delete` (last known state) for objects the
///   list did not bring.
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
        /// Paging through a list.
        case listing(ListProgress)
        /// Watching from `version`; `open` once the request succeeded.
        case watching(version: String, open: Bool, eventsSeen: Int)
        /// Backing off; then `resume`.
        case waiting(until: Instant, resume: Resume)
    }

    enum Resume: Sendable {
        /// Continue (or restart, with a nil token) the list.
        case list(ListProgress)
        case watch(version: String)
    }

    /// How far a list has come. Pages are reported as they arrive; nothing gathers all of them.
    struct ListProgress: Sendable {
        /// The next page's continue token; nil: the next page is the first of a new list.
        var token: String?
        /// The list's resourceVersion (its first page's).
        var version: String?
        /// A re-list's keys so far: what it did not bring is reported deleted at its end. Empty for the
        /// first list, whose objects are the known objects themselves.
        var seen: Set<ObjectKey> = []
    }

    package private(set) var configuration: WatcherConfiguration
    var phase: Phase = .listing(ListProgress())
    /// The resourceVersion of every object the consumer has been told about, by key: what drops a
    /// repeated event and finds a re-list's changes.
    private var knownVersions: [ObjectKey: String] = [:]
    /// The objects themselves, boxed (a reference per entry instead of the model's inline bytes and the
    /// dictionary's spare capacity), for a re-list's `delete` events — empty when `lastKnown` holds them.
    private var knownObjects: [ObjectKey: Boxed<R>] = [:]
    /// A store that every reported event is applied to before the next is asked for (client-go's
    /// `knownObjects`): the last state of a re-list's deleted objects is read from it instead of a
    /// copy of every object kept here.
    let lastKnown: Store<R>?
    /// Every object the consumer has been told about, by key.
    package var known: [ObjectKey: R] {
        var objects: [ObjectKey: R] = [:]
        for key in knownVersions.keys {
            if let object = knownObjects[key]?.value ?? lastKnown?.get(key) { objects[key] = object }
        }
        return objects
    }
    /// Whether the first list has completed.
    package private(set) var hasSynced = false
    /// Applied to each object as it arrives.
    let transform: (@Sendable (R) -> R)?

    /// - Parameter lastKnown: a store that the consumer applies every event to before it asks for the
    ///   next (``Watcher/remembering(in:)``); the machine then keeps only resourceVersions.
    package init(
        configuration: WatcherConfiguration, transform: (@Sendable (R) -> R)? = nil, lastKnown: Store<R>? = nil
    ) {
        self.configuration = configuration
        self.transform = transform
        self.lastKnown = lastKnown
    }

    /// The next thing to do at `now`.
    package mutating func nextAction(now: Instant) -> Action {
        switch phase {
        case .listing(let progress):
            return .list(listOptions(token: progress.token))
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
            case .list(let progress): phase = .listing(progress)
            case .watch(let version): phase = .watching(version: version, open: false, eventsSeen: 0)
            }
            return nextAction(now: now)
        }
    }

    /// A list page arrived; returns its events at once (the list is never gathered whole).
    ///
    /// The first list: `initStart` with its first page (again if the list restarts from scratch
    /// before it completed — a consumer drops what it buffered), `initApply` per object, `initDone`
    /// with the last page. A re-list: `apply` per new or changed object as pages arrive, then with the
    /// last page `delete` for every known object the list did not bring.
    package mutating func listed(_ page: ObjectList<R>) -> [WatcherEvent<R>] {
        guard case .listing(var progress) = phase else { return [] }
        configuration.backoff.reset()
        var events: [WatcherEvent<R>] = []
        events.reserveCapacity(page.items.count + 2)
        if progress.token == nil {
            progress.version = page.metadata.resourceVersion
            progress.seen = []
            if !hasSynced {
                knownVersions = [:]
                knownObjects = [:]
                events.append(.initStart)
            }
        }
        for raw in page.items {
            let item = transform?(raw) ?? raw
            let key = item.key
            if hasSynced {
                progress.seen.insert(key)
                if remember(item, key: key) { events.append(.apply(item)) }
            } else {
                _ = remember(item, key: key)
                events.append(.initApply(item))
            }
        }
        if let next = page.metadata.continue, !next.isEmpty {
            progress.token = next
            phase = .listing(progress)
            return events
        }
        if hasSynced {
            for key in knownVersions.keys.sorted() where !progress.seen.contains(key) {
                // The store of `lastKnown` still holds it: its delete is the event being made.
                let last = knownObjects[key]?.value ?? lastKnown?.get(key)
                if forget(key), let last { events.append(.delete(last)) }
            }
        } else {
            events.append(.initDone)
            hasSynced = true
        }
        phase = .watching(version: progress.version ?? "0", open: false, eventsSeen: 0)
        return events
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
            if remember(object, key: object.key) { output.append(.apply(object)) }
        case .deleted(let object):
            if forget(object.key) { output.append(.delete(object)) }
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
        case .listing(let progress):
            // 410 on a continue token: the snapshot expired; the list restarts from its first page.
            let resume: Resume = isGone ? .list(ListProgress()) : .list(progress)
            phase = .waiting(until: now.advanced(by: configuration.backoff.next()), resume: resume)
        case .watching(let version, _, _):
            if isGone {
                phase = .listing(ListProgress())
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

    /// Records `object` as reported; false when it repeats the known resourceVersion.
    private mutating func remember(_ object: R, key: ObjectKey) -> Bool {
        let version = object.metadata.resourceVersion ?? ""
        guard knownVersions.updateValue(version, forKey: key) != version else { return false }
        if lastKnown == nil { knownObjects[key] = Boxed(object) }
        return true
    }

    /// Forgets a reported object; false when it was not known.
    private mutating func forget(_ key: ObjectKey) -> Bool {
        knownObjects[key] = nil
        return knownVersions.removeValue(forKey: key) != nil
    }
}
