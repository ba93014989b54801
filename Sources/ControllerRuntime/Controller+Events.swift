import CoreMetrics
package import KubernetesClient
import Logging
import Synchronization
import Transport

extension Controller {
    /// Applies one informer event (already applied to the store) to the queue and the schedule.
    func handle(_ event: WatcherEvent<Resource>) {
        let now = clock.now
        let wall = wallNow()
        let (tasks, handoffs, missed, unscheduled, queued) = state.withLock { state in
            var tasks: [Task<WorkResult, Never>] = []
            var missed: [(ObjectKey, Duration)] = []
            var unscheduled: [(ObjectKey, DigestError)] = []
            var queued: [ObjectKey] = []
            defer { state.eventsHandled += 1 }
            switch event {
            case .initStart:
                state.listing = []
            case .initApply(let object):
                state.listing?.insert(object.key)
                if let behind = observe(
                    object, in: &state, now: now, wall: wall, unscheduled: &unscheduled, queued: &queued)
                {
                    missed.append((object.key, behind))
                }
            case .initDone:
                if let listed = state.listing {
                    for key in state.triggers.keys where !listed.contains(key) {
                        if let task = state.stop(key, reason: .deleted) { tasks.append(task) }
                    }
                }
                state.listing = nil
                state.synced = true
            case .apply(let object):
                if let behind = observe(
                    object, in: &state, now: now, wall: wall, unscheduled: &unscheduled, queued: &queued)
                {
                    missed.append((object.key, behind))
                }
            case .delete(let object):
                if let task = state.stop(object.key, reason: .deleted) { tasks.append(task) }
            }
            return (
                tasks, state.dispatch(now: now, storeSynced: store.isSynced, mayStart: configuration.mayStart()),
                missed, unscheduled, queued
            )
        }
        for key in queued { logger.debug("queued by an event", metadata: ["key": "\(key)"]) }
        for task in tasks { task.cancel() }
        for handoff in handoffs { handoff.resume() }
        for (key, behind) in missed {
            metrics.missedCycles.increment()
            logger.info(
                "status shows a missed periodic check; checking at the next slot",
                metadata: ["key": "\(key)", "behind": "\(behind)"])
        }
        for (key, error) in unscheduled {
            logger.error(
                "cannot compute the periodic slot; the object is checked on changes only",
                metadata: ["key": "\(key)", "error": "\(error)"])
        }
        updateDepth()
        timerWakeup.signal()
    }

    /// Queues `object` when the event matters and keeps its periodic slot.
    ///
    /// - Returns: how far behind its status says it is, when that is a missed cycle.
    private func observe(
        _ object: Resource, in state: inout ControllerState<C.Instant>, now: C.Instant, wall: Duration,
        unscheduled: inout [(ObjectKey, DigestError)], queued: inout [ObjectKey]
    ) -> Duration? {
        let key = object.key
        guard !state.released.contains(key) else { return nil }
        let filter = configuration.filter
        let trigger = filter.trigger(of: object)
        let previous = state.triggers.updateValue(trigger, forKey: key)
        let changed: Bool
        if let previous {
            changed = previous != trigger
        } else {
            changed = !filter.isCurrent(object)
        }
        if changed, state.queue.add(key, now: now) {
            metrics.adds.increment()
            queued.append(key)
        }
        guard let interval = configuration.schedule.interval(object) else {
            state.schedule.remove(key)
            return nil
        }
        let lastChecked = configuration.schedule.lastChecked(object).map(WallTime.epoch(of:))
        do throws(DigestError) {
            let admission = try state.schedule.schedule(
                key, uid: object.metadata.uid ?? key.description, interval: interval, lastChecked: lastChecked,
                now: wall)
            return admission.behind
        } catch {
            state.schedule.remove(key)
            unscheduled.append((key, error))
            return nil
        }
    }

    /// Stops all work on `key` and returns once its in-flight reconcile (if any) has ended.
    ///
    /// The key leaves the queue and the schedule; an in-flight reconcile is cancelled with `reason`
    /// (``ReconcileContext/cancellationReason``). For ``StopReason/drained`` and ``StopReason/notOwned``
    /// the key's events are ignored until the informer reports it deleted (it left this replica's
    /// selector) or ``readmit(_:)``. Coordination acknowledges a drain only after this returns.
    package func stop(_ key: ObjectKey, reason: StopReason) async {
        let task = state.withLock { $0.stop(key, reason: reason) }
        task?.cancel()
        await waitUntilStopped(key)
        updateDepth()
    }

    /// Like ``stop(_:reason:)``, without waiting for the in-flight reconcile to end.
    package func cancel(_ key: ObjectKey, reason: StopReason) {
        let task = state.withLock { $0.stop(key, reason: reason) }
        task?.cancel()
        updateDepth()
    }

    /// Undoes a ``stop(_:reason:)`` for drain or ownership: the key is handled again, and queued now if
    /// the store holds it.
    package func readmit(_ key: ObjectKey) {
        let object = store.get(key)
        let (handoffs, unscheduled) = state.withLock { state in
            var unscheduled: [(ObjectKey, DigestError)] = []
            state.released.remove(key)
            if let object {
                var queued: [ObjectKey] = []
                _ = observe(
                    object, in: &state, now: clock.now, wall: wallNow(), unscheduled: &unscheduled, queued: &queued)
                if state.queue.add(key, now: clock.now) { metrics.adds.increment() }
            }
            return (
                state.dispatch(now: clock.now, storeSynced: store.isSynced, mayStart: configuration.mayStart()),
                unscheduled
            )
        }
        for (key, error) in unscheduled {
            logger.error(
                "cannot compute the periodic slot; the object is checked on changes only",
                metadata: ["key": "\(key)", "error": "\(error)"])
        }
        for handoff in handoffs { handoff.resume() }
        timerWakeup.signal()
    }

    /// Queues every object in the store (kube-rs `reconcile_all_on`), e.g. after a membership change.
    package func resync() {
        let keys = store.keys
        let handoffs = state.withLock { state in
            for key in keys where !state.released.contains(key) {
                if state.queue.add(key, now: clock.now) { metrics.adds.increment() }
            }
            return state.dispatch(now: clock.now, storeSynced: store.isSynced, mayStart: configuration.mayStart())
        }
        for handoff in handoffs { handoff.resume() }
        updateDepth()
    }

    /// Queues one key now (an external trigger).
    package func enqueue(_ key: ObjectKey) {
        let handoffs = state.withLock { state in
            if !state.released.contains(key), state.queue.add(key, now: clock.now) { metrics.adds.increment() }
            return state.dispatch(now: clock.now, storeSynced: store.isSynced, mayStart: configuration.mayStart())
        }
        for handoff in handoffs { handoff.resume() }
        updateDepth()
    }

    func updateDepth() {
        metrics.depth.record(state.withLock { $0.queue.depth })
    }
}
