import Logging

extension LeaderElector {
    /// Acquires the Lease (polling every retry period with client-go's 1.2 jitter), runs `work` while
    /// renewing it, and releases the Lease once `work` has ended.
    ///
    /// Guarantees:
    /// - `work` starts only after the Lease is held and is cancelled when leadership is lost: a read
    ///   shows another holder, or the renew deadline passes (a watchdog on the clock fires even while a
    ///   renewal request hangs).
    /// - On task cancellation (graceful stop) `work` is cancelled, awaited, and only then is the Lease
    ///   released (holder "", 1 s), so the successor does not wait out a whole lease duration.
    ///
    /// - Parameter stopBound: how long `work` may take to stop after leadership was lost.
    /// - Returns: what `work` returned.
    /// - Throws: ``CoordinationError/leadershipLost(lease:)`` when leadership was lost (work stopped);
    ///   ``CoordinationError/workDidNotStop(lease:)`` when it did not stop within `stopBound` (exit the
    ///   process); `CancellationError` when cancelled before acquiring; otherwise what `work` threw.
    package func withLeadership<T: Sendable>(
        stopBound: Duration = .seconds(5), _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await acquire()
        let finished = OneShotSignal()
        let workTask = Task {
            defer { finished.fire() }
            return try await work()
        }
        return try await withTaskCancellationHandler {
            let outcome = await superviseLeadership(until: finished)
            switch outcome {
            case .lost:
                workTask.cancel()
                guard await waitForStop(finished, bound: stopBound) else {
                    logger.critical("guarded work did not stop after losing the Lease")
                    throw CoordinationError.workDidNotStop(lease: leaseName)
                }
                throw CoordinationError.leadershipLost(lease: leaseName)
            case .finished, .interrupted:
                let result = await workTask.result
                // Released even when this task was cancelled (a service stopped by cancellation on
                // graceful shutdown): a cancelled request would leave the Lease held until it expires.
                await Task { await self.release() }.value
                return try result.get()
            }
        } onCancel: {
            workTask.cancel()
        }
    }

    /// Polls until this replica holds the Lease.
    ///
    /// - Throws: `CancellationError` when the task is cancelled first.
    package func acquire() async throws {
        while true {
            try Task.checkCancellation()
            if await tryAcquireOrRenew() == .leading { return }
            let factor = 1 + Double.random(in: 0..<1) * ElectionConfiguration.jitterFactor
            try await clock.sleep(for: configuration.retryPeriod * factor)
        }
    }

    private enum Supervision: Sendable {
        case finished
        case lost
        case interrupted
    }

    /// Renews every retry period and watches the renew deadline until `workTask` ends or leadership is lost.
    private func superviseLeadership(until finished: OneShotSignal) async -> Supervision {
        await withTaskGroup(of: Supervision.self) { group in
            group.addTask {
                await finished.wait()
                return finished.hasFired ? .finished : .interrupted
            }
            group.addTask {
                while true {
                    do { try await self.clock.sleep(for: self.configuration.retryPeriod) } catch { return .interrupted }
                    await self.tryAcquireOrRenew()
                    if !self.isLeader { return .lost }
                }
            }
            group.addTask {
                while true {
                    guard let deadline = self.deadline else { return .lost }
                    do { try await self.clock.sleep(until: deadline, tolerance: nil) } catch { return .interrupted }
                    if !self.mayAct {
                        await self.stepDownAtDeadline()
                        return .lost
                    }
                }
            }
            let first = await group.next() ?? .interrupted
            group.cancelAll()
            return first
        }
    }

    private func stepDownAtDeadline() async {
        if isLeader {
            logger.warning("renew deadline passed without a successful renewal; stopping guarded work")
            metrics.leadership(false)
        }
        forgetLeadership()
    }

    /// Waits for the work to end (`finished`), at most `bound` on the clock.
    private func waitForStop(_ finished: OneShotSignal, bound: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await finished.wait()
                return finished.hasFired
            }
            group.addTask {
                try? await self.clock.sleep(for: bound)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
