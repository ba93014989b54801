import Logging

/// The single write path: every effective change gets the next global resourceVersion, lands in the
/// history and fans out to the open watches.
extension Emulator {
    /// The stored object, as stored (its `apiVersion` is the version it was last written through).
    func stored(_ type: ServedResource, namespace: String?, name: String) -> JSON? {
        objects[type.storageKey]?[Self.objectKey(namespace: type.namespaced ? namespace : nil, name: name)]
    }

    /// The object as the client of `type` sees it (its group/version and kind).
    nonisolated func present(_ object: JSON, as type: ServedResource) -> JSON {
        if EventConversion.isEventsAPI(type) && !EventConversion.isEventsForm(object) {
            return EventConversion.toEvents(object)
        }
        var object = object
        object["apiVersion"] = .string(type.apiVersion)
        object["kind"] = .string(type.kind)
        return object
    }

    /// Commits one change: assigns the next resourceVersion, stores or removes the object, records the
    /// change and delivers it to every matching watch. Returns the object as committed.
    @discardableResult
    func commit(_ type: ServedResource, _ eventType: WatchEventType, object: JSON, old: JSON?) -> JSON {
        resourceVersion += 1
        var committed = present(object, as: type)
        if EventConversion.isEventsAPI(type) { committed = EventConversion.toCore(committed) }
        committed[path: ["metadata", "resourceVersion"]] = .string(String(resourceVersion))
        let key = Self.objectKey(namespace: type.namespaced ? committed.namespace : nil, name: committed.name)
        let previous = objects[type.storageKey]?[key]
        if eventType == .deleted {
            objects[type.storageKey]?[key] = nil
        } else {
            objects[type.storageKey, default: [:]][key] = committed
        }
        owners.replace(
            OwnerIndex.Entry(storageKey: type.storageKey, objectKey: key), old: previous,
            new: eventType == .deleted ? nil : committed)
        let change = Change(
            resourceVersion: resourceVersion, storageKey: type.storageKey, type: eventType, object: committed,
            old: old)
        record(change)
        deliver(change)
        enqueueControllerWork(type, change)
        return committed
    }

    private func record(_ change: Change) {
        history.append(change)
        if history.count - historyStart > configuration.historyLimit {
            compactedThrough = history[historyStart].resourceVersion
            historyStart += 1
            if historyStart > 1024 && historyStart * 2 > history.count {
                history.removeFirst(historyStart)
                historyStart = 0
            }
        }
    }

    /// The retained changes with a resourceVersion greater than `after`.
    func changes(after: Int) -> ArraySlice<Change> {
        var low = historyStart
        var high = history.count
        while low < high {
            let mid = (low + high) / 2
            if history[mid].resourceVersion <= after { low = mid + 1 } else { high = mid }
        }
        return history[low...]
    }

    /// Drops the whole history, so any watch or continue token from before now gets 410 Expired.
    package func compactHistory() {
        history.removeAll()
        historyStart = 0
        compactedThrough = resourceVersion
    }

    /// The events a watcher sees for one change, applying selector transitions: newly matching →
    /// ADDED, still matching → MODIFIED, no longer matching → DELETED (old state, new resourceVersion).
    static func events(for change: Change, to watcher: OpenWatch) -> WatchLine? {
        let oldMatches = change.old.map(watcher.matches) ?? false
        switch change.type {
        case .added:
            return watcher.matches(change.object) ? WatchLine(type: .added, object: change.object) : nil
        case .deleted:
            return oldMatches || watcher.matches(change.object)
                ? WatchLine(type: .deleted, object: change.object) : nil
        case .modified:
            let newMatches = watcher.matches(change.object)
            switch (oldMatches, newMatches) {
            case (true, true): return WatchLine(type: .modified, object: change.object)
            case (false, true): return WatchLine(type: .added, object: change.object)
            case (true, false):
                var gone = change.old ?? change.object
                gone[path: ["metadata", "resourceVersion"]] = .string(String(change.resourceVersion))
                return WatchLine(type: .deleted, object: gone)
            case (false, false): return nil
            }
        case .bookmark, .error:
            return nil
        }
    }

    private func deliver(_ change: Change) {
        for (id, watcher) in watchers where watcher.storageKey == change.storageKey {
            guard let line = Self.events(for: change, to: watcher) else { continue }
            let presented = WatchLine(type: line.type, object: present(line.object, as: watcher.type))
            if case .dropped = watcher.continuation.yield(presented) {
                logger.warning("closing a watch whose client does not keep up", metadata: ["watch": "\(id)"])
                watcher.continuation.finish()
                watchers[id] = nil
            }
        }
    }
}
