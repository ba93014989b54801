extension Emulator {
    /// Options of a WATCH.
    package struct WatchOptions: Sendable {
        package var labelSelector: LabelSelector = .everything
        package var fieldSelector: FieldSelector = .everything
        /// Unset or `"0"`: synthetic ADDED for the current state, then changes. `"N"`: only changes after N.
        package var resourceVersion: String?
        package var allowWatchBookmarks = false
        /// Synthetic ADDEDs, then a BOOKMARK annotated `k8s.io/initial-events-end`, then changes.
        package var sendInitialEvents = false
        /// End the stream after this long; nil means 30–60 minutes, as kube-apiserver.
        package var timeout: Duration?

        package init() {}
    }
}

extension Emulator {
    /// Opens a watch. The stream ends on timeout, when the emulator drops watches (fault hook,
    /// shutdown), or when the client stops iterating.
    ///
    /// Resuming from a resourceVersion older than the retained history (or newer than the current one)
    /// yields one ERROR event carrying a 410 Expired `Status`, then ends.
    package func watch(
        _ type: ServedResource, namespace: String?, options: WatchOptions = WatchOptions(), identity: Identity = .admin
    ) -> AsyncStream<WatchLine> {
        let (stream, continuation) = AsyncStream<WatchLine>.makeStream(
            bufferingPolicy: .bufferingOldest(configuration.watcherBufferLimit))
        let watcher = OpenWatch(
            type: type, storageKey: type.storageKey, namespace: type.namespaced ? namespace : nil,
            labelSelector: options.labelSelector, fieldSelector: options.fieldSelector,
            identity: identity, continuation: continuation)

        let requested = options.resourceVersion ?? ""
        if options.sendInitialEvents || requested.isEmpty || requested == "0" {
            let current = objects[type.storageKey] ?? [:]
            for (_, object) in current.sorted(by: { $0.key < $1.key }) {
                if watcher.matches(object) {
                    continuation.yield(WatchLine(type: .added, object: present(object, as: type)))
                }
            }
            if options.sendInitialEvents {
                var bookmark = bookmarkObject(type)
                bookmark[path: ["metadata", "annotations"]] = ["k8s.io/initial-events-end": "true"]
                continuation.yield(WatchLine(type: .bookmark, object: bookmark))
            }
        } else {
            guard let version = Int(requested), version >= compactedThrough, version <= resourceVersion else {
                let error = APIError.expired("too old resource version: \(requested) (\(compactedThrough + 1))")
                continuation.yield(WatchLine(type: .error, object: error.status))
                continuation.finish()
                return stream
            }
            for change in changes(after: version) where change.storageKey == type.storageKey {
                if let line = Self.events(for: change, to: watcher) {
                    continuation.yield(WatchLine(type: line.type, object: present(line.object, as: type)))
                }
            }
        }

        let id = nextWatcherID
        nextWatcherID += 1
        watchers[id] = watcher
        let timeout = options.timeout ?? .seconds(1800 + Int.random(in: 0...1800))
        let bookmarks = options.allowWatchBookmarks ? configuration.bookmarkInterval : nil
        let clock = self.clock
        let timer = Task { [weak self] in
            await Self.runWatchTimer(clock: clock, timeout: timeout, bookmarks: bookmarks) { [weak self] in
                await self?.sendBookmark(to: id, type)
            }
            await self?.endWatch(id)
        }
        continuation.onTermination = { [weak self] _ in
            timer.cancel()
            Task { await self?.endWatch(id) }
        }
        return stream
    }

    /// Sleeps until `timeout`, calling `bookmark` every `bookmarks` interval on the way.
    private static func runWatchTimer<C: Clock>(
        clock: C, timeout: Duration, bookmarks: Duration?, bookmark: @Sendable () async -> Void
    ) async where C.Duration == Duration {
        let deadline = clock.now.advanced(by: timeout)
        while !Task.isCancelled {
            let remaining = clock.now.duration(to: deadline)
            if remaining <= .zero { return }
            let nap = bookmarks.map { min($0, remaining) } ?? remaining
            do { try await clock.sleep(for: nap) } catch { return }
            if bookmarks != nil && clock.now.duration(to: deadline) > .zero { await bookmark() }
        }
    }

    func bookmarkObject(_ type: ServedResource) -> JSON {
        [
            "kind": .string(type.kind), "apiVersion": .string(type.apiVersion),
            "metadata": ["resourceVersion": .string(String(resourceVersion))],
        ]
    }

    private func sendBookmark(to id: Int, _ type: ServedResource) {
        watchers[id]?.continuation.yield(WatchLine(type: .bookmark, object: bookmarkObject(type)))
    }

    private func endWatch(_ id: Int) {
        watchers[id]?.continuation.finish()
        watchers[id] = nil
    }

    /// Sends a BOOKMARK with the current resourceVersion to every open watch now (besides the
    /// periodic ones on watches that allow them).
    package func sendBookmarksNow() {
        for watcher in watchers.values {
            watcher.continuation.yield(WatchLine(type: .bookmark, object: bookmarkObject(watcher.type)))
        }
    }

    /// Ends open watches (all, or those of one resource or one identity); clients see the stream end.
    package func dropWatches(resource: String? = nil, identity: Identity? = nil) {
        for (id, watcher) in watchers {
            if let resource, !watcher.storageKey.hasSuffix("/\(resource)") { continue }
            if let identity, watcher.identity != identity { continue }
            watcher.continuation.finish()
            watchers[id] = nil
        }
    }

    /// The number of open watches.
    package var openWatchCount: Int { watchers.count }
}
