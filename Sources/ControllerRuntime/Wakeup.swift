import Synchronization

/// A level-triggered wake-up signal for one waiter: ``signal()`` before ``wait()`` is remembered, so a
/// wake-up is never lost (spurious ones are possible; waiters re-check their state).
final class Wakeup: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    init() {}

    /// Wakes the waiter, or the next one to wait.
    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns at the next signal (at once if one is pending) or when the task is cancelled.
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            signal()
        }
    }

    /// Returns at the next signal, at `deadline` on `clock` (if any), or when the task is cancelled.
    func wait<C: Clock>(until deadline: C.Instant?, clock: C) async {
        guard let deadline else {
            await wait()
            return
        }
        // A deadline already reached returns at once. (The caller computed it from an earlier `now`; a
        // clock that moved meanwhile — a test clock advanced exactly to it — would otherwise wait for the
        // next tick, since some clocks treat "until now" as "until the next advance".)
        if deadline <= clock.now { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await clock.sleep(until: deadline, tolerance: nil) }
            group.addTask { await self.wait() }
            await group.next()
            group.cancelAll()
        }
    }
}
