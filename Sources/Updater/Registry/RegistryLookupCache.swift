package import struct Foundation.Date

/// One lookup per (registry, repository, credentials) per refresh window, shared by every caller.
///
/// - Concurrent callers asking for the same key while a lookup runs join it (single-flight).
/// - A caller may ask for a result no older than `maxAge` (an object checked more often than the
///   window must see the registry as of its own check).
/// - While the registry's request budget is used up (``RegistryLimiter/isBusy(host:)``: a request now
///   would wait for its slot), a successful result up to ``staleLimit`` old answers instead of a new
///   lookup (metric result `stale`): more objects than the budget can look up per window are still
///   checked at once, the registry sees no more than its budget, and every repository is looked up
///   again as slots come free. Failures are never served stale.
/// - A result — success or failure — answers every caller for `window` after it arrived; failures
///   too, so a broken repository watched by many objects costs one request per window, not one per
///   object. A throttled failure is kept only until its retry-after.
/// - Memory is bounded: at most `capacity` entries (expired ones are dropped first, then the oldest);
///   the tags per repository are capped by the client (``RegistryLimits/maxTagsPerRepository``).
///
/// Keys hold credentials in memory only, to keep different accounts apart; they are never printed.
package actor RegistryLookupCache {
    private enum Lookup: Hashable {
        case tags
        case digest(String)
        case created(String)
    }

    private struct Key: Hashable {
        var identity: String
        var repository: RegistryRepository
        var credentials: RegistryCredentials?
        var lookup: Lookup
    }

    private enum Value: Sendable {
        case tags(TagListing)
        case digest(ManifestDigest)
        case created(Date?)
    }

    private enum Entry {
        case inFlight(Task<Value, any Error>)
        case done(Result<Value, RegistryError>, arrived: Duration, until: Duration)
    }

    private let window: Duration
    /// How old a result served while the registry is busy may be: three windows.
    package var staleLimit: Duration { window * 3 }
    private let capacity: Int
    private let clock: RegistryClock
    private let metrics: RegistryMetrics
    /// Whether a request to this host would wait for the registry's budget now.
    private let isBusy: @Sendable (String) async -> Bool
    private var entries: [Key: Entry] = [:]
    private var insertionOrder: [Key] = []

    package init(
        window: Duration,
        capacity: Int = 10_000,
        clock: RegistryClock = .continuous,
        metrics: RegistryMetrics = RegistryMetrics(),
        isBusy: @escaping @Sendable (String) async -> Bool = { _ in false }
    ) {
        self.window = window
        self.capacity = max(1, capacity)
        self.clock = clock
        self.metrics = metrics
        self.isBusy = isBusy
    }

    /// Cached ``ImageRegistry/tags(of:credentials:)``.
    package func tags(
        of repository: RegistryRepository, credentials: RegistryCredentials?, from registry: any ImageRegistry,
        maxAge: Duration? = nil
    )
        async throws(RegistryError) -> TagListing
    {
        let key = Key(identity: registry.cacheIdentity, repository: repository, credentials: credentials, lookup: .tags)
        let value = try await lookup(key, maxAge: maxAge) { () async throws(RegistryError) -> Value in
            .tags(try await registry.tags(of: repository, credentials: credentials))
        }
        guard case .tags(let listing) = value else { throw .misconfigured("cache entry of the wrong kind") }
        return listing
    }

    /// Cached ``ImageRegistry/digest(of:tag:credentials:)``.
    package func digest(
        of repository: RegistryRepository,
        tag: String,
        credentials: RegistryCredentials?,
        from registry: any ImageRegistry,
        maxAge: Duration? = nil
    ) async throws(RegistryError) -> ManifestDigest {
        let key = Key(
            identity: registry.cacheIdentity, repository: repository, credentials: credentials, lookup: .digest(tag))
        let value = try await lookup(key, maxAge: maxAge) { () async throws(RegistryError) -> Value in
            .digest(try await registry.digest(of: repository, tag: tag, credentials: credentials))
        }
        guard case .digest(let digest) = value else { throw .misconfigured("cache entry of the wrong kind") }
        return digest
    }

    /// Cached ``ImageRegistry/created(of:tag:credentials:)``.
    package func created(
        of repository: RegistryRepository, tag: String, credentials: RegistryCredentials?,
        from registry: any ImageRegistry, maxAge: Duration? = nil
    ) async throws(RegistryError) -> Date? {
        let key = Key(
            identity: registry.cacheIdentity, repository: repository, credentials: credentials, lookup: .created(tag))
        let value = try await lookup(key, maxAge: maxAge) { () async throws(RegistryError) -> Value in
            .created(try await registry.created(of: repository, tag: tag, credentials: credentials))
        }
        guard case .created(let date) = value else { throw .misconfigured("cache entry of the wrong kind") }
        return date
    }

    /// Forgets everything (a new refresh cycle forced by the user).
    package func removeAll() {
        entries.removeAll()
        insertionOrder.removeAll()
    }

    /// Entries held now (for tests and metrics).
    package var count: Int { entries.count }

    private func lookup(
        _ key: Key, maxAge: Duration?, _ body: @escaping @Sendable () async throws(RegistryError) -> Value
    )
        async throws(RegistryError) -> Value
    {
        if let stale = await staleWhileBusy(key, maxAge: maxAge) { return stale }
        let now = clock.now()
        let task: Task<Value, any Error>
        switch entries[key] {
        case .done(let result, let arrived, let until) where until > now && (maxAge.map { arrived + $0 > now } ?? true):
            metrics.cache(result: "hit")
            return try result.get()
        case .inFlight(let running):
            metrics.cache(result: "shared")
            task = running
        default:
            metrics.cache(result: "miss")
            task = Task { try await body() }
            insert(key, .inFlight(task))
        }
        let result: Result<Value, RegistryError>
        do { result = .success(try await task.value) } catch let error as RegistryError {
            result = .failure(error)
        } catch {
            result = .failure(.transport(registry: key.repository.host, detail: "lookup cancelled", retryable: true))
        }
        if case .inFlight = entries[key] {
            var keepFor = window
            if case .failure(let error) = result, let retryAfter = error.retryAfter {
                keepFor = min(window, retryAfter)
            }
            let arrived = clock.now()
            entries[key] = .done(result, arrived: arrived, until: arrived + keepFor)
        }
        return try result.get()
    }

    /// A successful result too old to be a hit but within ``staleLimit``, when the registry's budget is
    /// busy; nil otherwise.
    private func staleWhileBusy(_ key: Key, maxAge: Duration?) async -> Value? {
        guard case .done(.success, let arrived, let until) = entries[key] else { return nil }
        let now = clock.now()
        let fresh = until > now && (maxAge.map { arrived + $0 > now } ?? true)
        guard !fresh, arrived + staleLimit > now, await isBusy(key.repository.host) else { return nil }
        // The actor may have run other lookups while it asked: take the entry as it is now.
        guard case .done(.success(let value), let arrivedNow, _) = entries[key], arrivedNow + staleLimit > clock.now()
        else { return nil }
        metrics.cache(result: "stale")
        return value
    }

    private func insert(_ key: Key, _ entry: Entry) {
        if entries.count >= capacity {
            let now = clock.now()
            for (candidate, value) in entries {
                if case .done(_, _, let until) = value, until <= now { entries[candidate] = nil }
            }
            insertionOrder.removeAll { entries[$0] == nil }
            while entries.count >= capacity, !insertionOrder.isEmpty {
                entries[insertionOrder.removeFirst()] = nil
            }
        }
        if entries[key] == nil { insertionOrder.append(key) }
        entries[key] = entry
    }
}

/// An ``ImageRegistry`` whose lookups go through a shared ``RegistryLookupCache``.
package struct CachedImageRegistry: ImageRegistry {
    package let base: any ImageRegistry
    package let cache: RegistryLookupCache
    /// Cached results older than this are looked up again (nil: the cache's window decides).
    package let maxAge: Duration?

    package init(_ base: any ImageRegistry, cache: RegistryLookupCache, maxAge: Duration? = nil) {
        self.base = base
        self.cache = cache
        self.maxAge = maxAge
    }

    package var cacheIdentity: String { base.cacheIdentity }

    package func tags(of repository: RegistryRepository, credentials: RegistryCredentials?)
        async throws(RegistryError) -> TagListing
    {
        try await cache.tags(of: repository, credentials: credentials, from: base, maxAge: maxAge)
    }

    package func digest(of repository: RegistryRepository, tag: String, credentials: RegistryCredentials?)
        async throws(RegistryError) -> ManifestDigest
    {
        try await cache.digest(of: repository, tag: tag, credentials: credentials, from: base, maxAge: maxAge)
    }

    package func created(of repository: RegistryRepository, tag: String, credentials: RegistryCredentials?)
        async throws(RegistryError) -> Date?
    {
        try await cache.created(of: repository, tag: tag, credentials: credentials, from: base, maxAge: maxAge)
    }
}
