import CoreMetrics
import KubernetesClient
import Logging
import Synchronization

extension Controller {
    /// One worker: takes keys until the controller stops, reconciling each.
    func runWorker(id: Int) async {
        while let key = await nextKey(worker: id) {
            await process(key)
        }
    }

    /// The next key for this worker; nil once the controller stops or the task is cancelled.
    private func nextKey(worker id: Int) async -> ObjectKey? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<ObjectKey?, Never>) in
                let immediate: ObjectKey?? = state.withLock { state in
                    if state.stopping || Task.isCancelled { return .some(nil) }
                    if let key = state.take(
                        now: clock.now, storeSynced: store.isSynced, mayStart: configuration.mayStart())
                    {
                        return key
                    }
                    state.idleWorkers.append(.init(id: id, continuation: continuation))
                    return .none
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let parked = state.withLock { state in
                state.idleWorkers.firstIndex { $0.id == id }.map { state.idleWorkers.remove(at: $0) }
            }
            parked?.continuation.resume(returning: nil)
        }
    }

    /// Reconciles `key` with the store's current object and reports the outcome to the queue.
    private func process(_ key: ObjectKey) async {
        let started = clock.now
        guard let object = store.get(key) else {
            finish(key, .gone, started: started)
            return
        }
        let (retries, signal) = state.withLock { state in
            (state.queue.retries(of: key), state.inFlight[key]?.signal ?? StopSignal())
        }
        var keyLogger = logger
        keyLogger[metadataKey: "key"] = "\(key)"
        keyLogger.debug("reconciling", metadata: ["retries": "\(retries)"])
        let context = ReconcileContext(key: key, retries: retries, logger: keyLogger, stop: signal)
        let reconciler = self.reconciler
        let task = Task<WorkResult, Never> {
            if let reason = signal.reason { return .failed(.terminal("cancelled: \(reason)")) }
            do throws(ReconcileError) {
                return .action(try await reconciler.reconcile(object, context: context))
            } catch {
                return .failed(error)
            }
        }
        let stoppedAlready = state.withLock { state in
            state.inFlight[key]?.task = task
            return signal.reason != nil
        }
        if stoppedAlready { task.cancel() }
        let result = await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
        finish(key, result, started: started)
    }

    /// Records the outcome of one reconcile, frees the key and hands waiting workers more work.
    private func finish(_ key: ObjectKey, _ result: WorkResult, started: C.Instant) {
        let now = clock.now
        let elapsed = started.duration(to: now)
        let (waiters, handoffs, reason, retryDelay, drained) = state.withLock { state in
            let flight = state.inFlight.removeValue(forKey: key)
            let reason = flight?.signal.reason
            let completion: WorkQueue<ObjectKey, C.Instant>.Completion
            switch result {
            case .action(.done): completion = .success(checkAgainAfter: nil)
            case .action(.checkAgain(let after)): completion = .success(checkAgainAfter: after)
            case .action(.retry): completion = .retry
            case .failed(let error): completion = error.isRetryable ? .retry : .terminal
            case .gone:
                completion = .terminal
                state.queue.forget(key)
            }
            let retryDelay = state.queue.done(key, reason == nil ? completion : .terminal, now: now)
            if state.stopping, flight != nil { state.finishedDuringDrain.append(key) }
            let handoffs = state.dispatch(now: now, storeSynced: store.isSynced, mayStart: configuration.mayStart())
            return (
                flight?.waiters ?? [], handoffs, reason, retryDelay, state.stopping && state.inFlight.isEmpty
            )
        }
        if case .gone = result {} else { metrics.workDuration.recordNanoseconds(nanoseconds(elapsed)) }
        if retryDelay != nil { metrics.retries.increment() }
        log(key, result, reason: reason, retryDelay: retryDelay, elapsed: elapsed)
        for handoff in handoffs { handoff.resume() }
        for waiter in waiters { waiter.resume() }
        timerWakeup.signal()
        if drained { drainWakeup.signal() }
    }

    private func log(
        _ key: ObjectKey, _ result: WorkResult, reason: StopReason?, retryDelay: Duration?, elapsed: Duration
    ) {
        var metadata: Logger.Metadata = ["key": "\(key)", "elapsed": "\(elapsed)"]
        if let reason {
            metadata["reason"] = "\(reason)"
            logger.debug("reconcile cancelled", metadata: metadata)
            return
        }
        if let retryDelay { metadata["retryIn"] = "\(retryDelay)" }
        switch result {
        case .action(let action):
            metadata["action"] = "\(action)"
            logger.debug("reconciled", metadata: metadata)
        case .failed(let error):
            metadata["error"] = "\(error)"
            logger.log(level: error.isRetryable ? .info : .warning, "reconcile failed", metadata: metadata)
        case .gone:
            logger.debug("object left the cache; key dropped", metadata: metadata)
        }
    }
}

/// Whole nanoseconds of `duration` (saturating), for timers.
func nanoseconds(_ duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    if overflow { return seconds < 0 ? .min : .max }
    let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
    return overflow2 ? (seconds < 0 ? .min : .max) : sum
}
