import KubernetesClient
import Logging
import Synchronization

extension Controller {
    /// Graceful drain: stops handing out keys, lets in-flight reconciles finish within `bound`, cancels
    /// the rest (``StopReason/shutdown``) and reports what was left. Runs once; later (or concurrent)
    /// calls return the same report. ``run()`` calls it on graceful shutdown with
    /// ``ControllerConfiguration/drainTimeout``; Coordination may call it first (its quiesce hook) before it
    /// releases the shard Lease. Afterwards ``run()`` returns.
    @discardableResult
    package func quiesce(within bound: Duration) async -> DrainReport {
        let (first, handoffs, notStarted) = state.withLock { state in
            if state.drainStarted { return (false, [ControllerState<C.Instant>.Handoff](), [ObjectKey]()) }
            state.drainStarted = true
            state.stopping = true
            let notStarted = state.queue.shutDown()
            return (true, state.releaseIdleWorkers(), notStarted)
        }
        guard first else { return await drainReportWhenReady() }
        for handoff in handoffs { handoff.resume() }
        let deadline = clock.now.advanced(by: bound)
        while state.withLock({ !$0.inFlight.isEmpty }), clock.now < deadline, !Task.isCancelled {
            await drainWakeup.wait(until: deadline, clock: clock)
        }
        let tasks = state.withLock { state in
            state.inFlight.map { key, flight in
                flight.signal.stop(.shutdown)
                return (key, flight.task)
            }
        }
        for (_, task) in tasks { task?.cancel() }
        let cancelled = Set(tasks.map(\.0))
        let (report, waiters) = state.withLock { state in
            let report = DrainReport(
                finished: state.finishedDuringDrain.filter { !cancelled.contains($0) }.sorted(),
                cancelled: cancelled.sorted(), notStarted: notStarted.sorted())
            state.drainReport = report
            defer { state.drainWaiters = [] }
            return (report, state.drainWaiters)
        }
        for waiter in waiters { waiter.resume(returning: report) }
        stopWakeup.signal()
        logger.log(
            level: report.cancelled.isEmpty && report.notStarted.isEmpty ? .debug : .notice, "controller drained",
            metadata: [
                "finished": "\(report.finished.count)", "cancelled": "\(report.cancelled.map(\.description))",
                "notStarted": "\(report.notStarted.count)",
            ])
        return report
    }

    private func drainReportWhenReady() async -> DrainReport {
        await withCheckedContinuation { (continuation: CheckedContinuation<DrainReport, Never>) in
            let report = state.withLock { state -> DrainReport? in
                if let report = state.drainReport { return report }
                state.drainWaiters.append(continuation)
                return nil
            }
            if let report { continuation.resume(returning: report) }
        }
    }

    /// Stops all work (the shard Lease was lost): every key leaves the queue and the schedule, every
    /// in-flight reconcile is cancelled with ``StopReason/leaseLost``; returns once they have all ended.
    /// The controller keeps running: the next incarnation's list queues the keys again.
    package func cancelAll() async {
        let (tasks, keys) = state.withLock { state in
            let keys = Set(state.triggers.keys).union(state.inFlight.keys)
            let tasks = keys.compactMap { state.stop($0, reason: .leaseLost) }
            return (tasks, Array(state.inFlight.keys))
        }
        for task in tasks { task.cancel() }
        for key in keys { await waitUntilStopped(key) }
        updateDepth()
    }

    /// Returns once `key` has no reconcile in flight.
    func waitUntilStopped(_ key: ObjectKey) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let waiting = state.withLock { state in
                guard state.inFlight[key] != nil else { return false }
                state.inFlight[key]?.waiters.append(continuation)
                return true
            }
            if !waiting { continuation.resume() }
        }
    }
}
