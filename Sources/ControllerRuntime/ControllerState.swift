import KubernetesClient

/// Everything a ``Controller`` knows, behind its one lock. Mutations are synchronous and return what
/// the caller must do after unlocking (resume a worker, cancel a task, wake the timer).
struct ControllerState<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// One reconcile in flight.
    struct InFlight: Sendable {
        let started: Instant
        let signal: StopSignal
        var task: Task<WorkResult, Never>?
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// A worker parked until a key is ready.
    struct IdleWorker: Sendable {
        let id: Int
        let continuation: CheckedContinuation<ObjectKey?, Never>
    }

    /// A key handed to a parked worker; resume it after unlocking.
    struct Handoff: Sendable {
        let worker: IdleWorker
        let key: ObjectKey?

        func resume() { worker.continuation.resume(returning: key) }
    }

    var queue: WorkQueue<ObjectKey, Instant>
    var schedule: PeriodicSchedule<ObjectKey>
    /// The last trigger seen per key the controller knows (present in the informer).
    var triggers: [ObjectKey: Trigger] = [:]
    /// Keys handed over (drained, no longer owned): events ignored until deleted or readmitted.
    var released: Set<ObjectKey> = []
    var inFlight: [ObjectKey: InFlight] = [:]
    var idleWorkers: [IdleWorker] = []
    /// Keys of the list in progress (between initStart and initDone).
    var listing: Set<ObjectKey>?
    /// Whether the informer's first list is complete (workers wait for it).
    var synced = false
    /// Graceful drain in progress: no key is handed out.
    var stopping = false
    /// In-flight keys at the start of the drain that have finished since.
    var finishedDuringDrain: [ObjectKey] = []
    var drainReport: DrainReport?
    /// A drain has begun (it runs once; later callers wait for its report).
    var drainStarted = false
    var drainWaiters: [CheckedContinuation<DrainReport, Never>] = []
    var eventsHandled = 0

    init(queue: WorkQueue<ObjectKey, Instant>, schedule: PeriodicSchedule<ObjectKey>) {
        self.queue = queue
        self.schedule = schedule
    }

    /// Takes the next ready key for a worker (registering it as in flight), if work may start.
    ///
    /// No key is taken while a list is in progress: the store swaps the listed objects in only at
    /// `initDone`, so a key first seen in the list would not be found and would be dropped as gone.
    /// Nor while `mayStart` is false (coordination: the shard Lease is not held).
    mutating func take(now: Instant, storeSynced: Bool, mayStart: Bool) -> ObjectKey? {
        guard !stopping, mayStart, synced || storeSynced, listing == nil, let key = queue.next(now: now) else {
            return nil
        }
        inFlight[key] = InFlight(started: now, signal: StopSignal())
        return key
    }

    /// Pairs parked workers with ready keys.
    mutating func dispatch(now: Instant, storeSynced: Bool, mayStart: Bool) -> [Handoff] {
        var handoffs: [Handoff] = []
        while !idleWorkers.isEmpty, let key = take(now: now, storeSynced: storeSynced, mayStart: mayStart) {
            handoffs.append(Handoff(worker: idleWorkers.removeFirst(), key: key))
        }
        return handoffs
    }

    /// Releases every parked worker with no key (shutdown).
    mutating func releaseIdleWorkers() -> [Handoff] {
        defer { idleWorkers = [] }
        return idleWorkers.map { Handoff(worker: $0, key: nil) }
    }

    /// Forgets `key` everywhere and stops its in-flight reconcile, if any.
    ///
    /// - Returns: the in-flight task to cancel (after unlocking).
    mutating func stop(_ key: ObjectKey, reason: StopReason) -> Task<WorkResult, Never>? {
        queue.forget(key)
        schedule.remove(key)
        triggers[key] = nil
        switch reason {
        case .deleted: released.remove(key)
        case .drained, .notOwned: released.insert(key)
        case .shutdown, .leaseLost: break
        }
        guard let flight = inFlight[key] else { return nil }
        flight.signal.stop(reason)
        return flight.task
    }

    /// How long the longest in-flight reconcile has run, and its key.
    func longestRunning(now: Instant) -> (key: ObjectKey, duration: Duration)? {
        inFlight.map { (key: $0.key, duration: $0.value.started.duration(to: now)) }.max { $0.duration < $1.duration }
    }
}

/// How one reconcile call ended.
enum WorkResult: Sendable {
    case action(ReconcileAction)
    case failed(ReconcileError)
    /// The object had left the cache when its turn came.
    case gone
}
