import DequeModule
import HeapModule
import Transport

/// A de-duplicating, rate-limited work queue as a sans-IO state machine (client-go's `workqueue` with
/// its dirty and processing sets, plus the delaying and rate-limiting layers, in one value type).
///
/// Expected flow: events call ``add(_:now:)`` (or ``add(_:after:now:)``); a worker takes a key with
/// ``next(now:)``, works on it, and reports with ``done(_:_:now:)``. The caller sleeps until
/// ``nextWakeup()`` when it has nothing to do. Time comes only from the `now` arguments.
///
/// Guarantees:
/// - **De-duplication:** a key is in the ready queue at most once. Adding a key that is queued does
///   nothing; adding a key that is being processed marks it dirty, and it is queued once when its
///   worker is done — so any burst of adds during one processing period costs one more run.
/// - **Exclusivity:** a key is handed out again only after ``done(_:_:now:)`` for it.
/// - **Bounded concurrency:** at most ``WorkQueueConfiguration/maxConcurrent`` keys in processing.
/// - **Backoff:** ``Completion/retry`` waits the key's exponential backoff with jitter (capped), or
///   longer when the global retry token bucket says so; success resets the key's backoff.
/// - **Drain:** after ``shutDown()`` no key is handed out; in-flight keys may still complete.
package struct WorkQueue<Key: Hashable & Sendable, Instant: InstantProtocol>: Sendable
where Instant.Duration == Duration {
    /// How a worker's turn on a key ended.
    package enum Completion: Sendable, Hashable {
        /// Success; optionally look again after a delay. Resets the key's backoff.
        case success(checkAgainAfter: Duration?)
        /// Retry after the key's backoff (and the global retry rate limit).
        case retry
        /// A failure retrying will not fix; resets the key's backoff and waits for the next add.
        case terminal
    }

    private struct Delayed: Comparable {
        var due: Instant
        var sequence: UInt64
        var key: Key

        static func < (lhs: Delayed, rhs: Delayed) -> Bool {
            lhs.due == rhs.due ? lhs.sequence < rhs.sequence : lhs.due < rhs.due
        }
        static func == (lhs: Delayed, rhs: Delayed) -> Bool { lhs.sequence == rhs.sequence }
    }

    package let configuration: WorkQueueConfiguration
    /// Keys ready to be handed out, in order, with the instant each became due.
    private var ready: Deque<(key: Key, since: Instant)> = []
    /// Keys in `ready` or to be re-queued when their processing ends (client-go `dirty`).
    private var dirty: [Key: Instant] = [:]
    /// Keys handed out and not yet done (client-go `processing`).
    private var processing: Set<Key> = []
    /// Keys forgotten while processing: their completion is ignored.
    private var dropped: Set<Key> = []
    /// Pending delayed adds: the earliest due per key (heap entries not matching it are stale).
    private var delayedDue: [Key: Instant] = [:]
    private var delayed = Heap<Delayed>()
    private var sequence: UInt64 = 0
    private var backoffs: [Key: Backoff] = [:]
    private var retryBucket: TokenBucket
    /// The bucket's timeline starts here.
    private let origin: Instant
    private var seedState: UInt64
    package private(set) var isShutDown = false

    package init(configuration: WorkQueueConfiguration = WorkQueueConfiguration(), now: Instant) {
        self.configuration = configuration
        self.retryBucket = TokenBucket(qps: configuration.retryQPS, burst: configuration.retryBurst)
        self.origin = now
        self.seedState = configuration.seed
    }

    /// Keys ready and waiting for a worker.
    package var depth: Int { ready.count }
    /// Keys waiting for a delayed add (backoff or check-again).
    package var delayedCount: Int { delayedDue.count }
    /// Keys being processed.
    package var processingCount: Int { processing.count }
    /// Whether `key` is being processed.
    package func isProcessing(_ key: Key) -> Bool { processing.contains(key) }
    /// Whether `key` is waiting in the ready queue or will be re-queued after processing.
    package func isDirty(_ key: Key) -> Bool { dirty[key] != nil }
    /// Consecutive failures recorded for `key` (reset on success).
    package func retries(of key: Key) -> Int { backoffs[key]?.failures ?? 0 }
    /// When the key at the head of the ready queue became due (for "seconds behind" metrics).
    package var oldestReadySince: Instant? { ready.first?.since }

    /// Marks `key` as needing work now.
    ///
    /// - Returns: whether this call queued it (false when it was already dirty, or after shutdown).
    @discardableResult
    package mutating func add(_ key: Key, now: Instant) -> Bool {
        add(key, dueSince: now)
    }

    /// Marks `key` as needing work since `dueSince` (a scheduled check that fell due then; "seconds
    /// behind" is measured from it).
    @discardableResult
    package mutating func add(_ key: Key, dueSince since: Instant) -> Bool {
        guard !isShutDown, dirty[key] == nil else { return false }
        dirty[key] = since
        dropped.remove(key)
        if processing.contains(key) { return true }
        ready.append((key, since))
        return true
    }

    /// Adds `key` after `delay`; an earlier pending delayed add of the same key wins.
    package mutating func add(_ key: Key, after delay: Duration, now: Instant) {
        guard !isShutDown else { return }
        if delay <= .zero {
            add(key, now: now)
            return
        }
        let due = now.advanced(by: delay)
        if let existing = delayedDue[key], existing <= due { return }
        delayedDue[key] = due
        sequence &+= 1
        delayed.insert(Delayed(due: due, sequence: sequence, key: key))
    }

    /// When the earliest delayed add becomes due (drops stale heap entries on the way).
    package mutating func nextWakeup() -> Instant? {
        while let top = delayed.min {
            if delayedDue[top.key] == top.due { return top.due }
            delayed.removeMin()
        }
        return nil
    }

    /// Moves delayed adds that are due by `now` into the ready queue.
    package mutating func promoteDue(now: Instant) {
        while let top = delayed.min, top.due <= now {
            delayed.removeMin()
            guard delayedDue[top.key] == top.due else { continue }
            delayedDue[top.key] = nil
            add(top.key, dueSince: top.due)
        }
        if delayed.count > 2 * delayedDue.count + 64 { compactDelayed() }
    }

    /// Hands out the next ready key, or nil when none is ready, all workers are busy, or the queue is
    /// shut down. The key stays "processing" until ``done(_:_:now:)``.
    package mutating func next(now: Instant) -> Key? {
        promoteDue(now: now)
        guard !isShutDown, processing.count < configuration.maxConcurrent, let head = ready.popFirst() else {
            return nil
        }
        dirty[head.key] = nil
        processing.insert(head.key)
        return head.key
    }

    /// Ends the processing of `key`.
    ///
    /// - Returns: the delay before the key's retry when `completion` is ``Completion/retry`` (the
    ///   longer of its backoff and the global rate limit's wait), else nil.
    @discardableResult
    package mutating func done(_ key: Key, _ completion: Completion, now: Instant) -> Duration? {
        guard processing.remove(key) != nil else { return nil }
        if dropped.remove(key) != nil { return nil }
        var retryDelay: Duration?
        switch completion {
        case .success(let after):
            backoffs[key] = nil
            if let after { add(key, after: after, now: now) }
        case .terminal:
            backoffs[key] = nil
        case .retry:
            var backoff = backoffs[key] ?? newBackoff()
            let perKey = backoff.next()
            backoffs[key] = backoff
            let global = retryBucket.reserve(now: origin.duration(to: now))
            let delay = max(perKey, global)
            retryDelay = delay
            add(key, after: delay, now: now)
        }
        if let since = dirty[key], !isShutDown {
            ready.append((key, since))
        }
        return retryDelay
    }

    /// Forgets everything about `key`: queued, delayed and dirty state and its backoff. When it is
    /// being processed, its completion will be ignored (it is not re-queued).
    ///
    /// - Returns: whether the key was being processed.
    @discardableResult
    package mutating func forget(_ key: Key) -> Bool {
        if dirty.removeValue(forKey: key) != nil, !processing.contains(key) {
            ready.removeAll { $0.key == key }
        }
        delayedDue[key] = nil
        backoffs[key] = nil
        guard processing.contains(key) else { return false }
        dropped.insert(key)
        return true
    }

    /// Stops handing out keys. Returns the keys that were waiting (ready or delayed) and will not run;
    /// in-flight keys may still report ``done(_:_:now:)``.
    package mutating func shutDown() -> [Key] {
        isShutDown = true
        var waiting = ready.map(\.key)
        let readySet = Set(waiting)
        waiting += delayedDue.keys.filter { !readySet.contains($0) }
        waiting += dirty.keys.filter { processing.contains($0) && !readySet.contains($0) && delayedDue[$0] == nil }
        ready.removeAll()
        dirty.removeAll()
        delayedDue.removeAll()
        delayed = Heap()
        return waiting
    }

    private mutating func newBackoff() -> Backoff {
        seedState &+= 0x9E37_79B9_7F4A_7C15
        let template = configuration.backoff
        return Backoff(
            initialDelay: template.initialDelay, maxDelay: template.maxDelay, jitter: template.jitter, seed: seedState)
    }

    private mutating func compactDelayed() {
        delayed = Heap(
            delayedDue.map { key, due in
                sequence &+= 1
                return Delayed(due: due, sequence: sequence, key: key)
            })
    }
}
