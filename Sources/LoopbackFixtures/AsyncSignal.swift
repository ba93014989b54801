import Synchronization

/// A one-shot event between tasks of a test (a server handler and the client, say): ``fire()`` once,
/// and every ``wait(upTo:)`` — before or after — returns.
///
/// Tests use it to order events without sleeping: "the server writes line 2 only after the client
/// reported line 1". The time limit only keeps a broken implementation from hanging the test run; it
/// is never the thing a test asserts.
package final class AsyncSignal: Sendable {
    private struct State {
        var fired = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    package init() {}

    /// Fires the signal, releasing current and future waiters. Idempotent.
    package func fire() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.fired = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Whether the signal has fired.
    package var isFired: Bool { state.withLock { $0.fired } }

    /// Waits until the signal fires, at most `limit`.
    ///
    /// - Returns: true when it fired, false when the limit passed (or the task was cancelled) first.
    @discardableResult
    package func wait(upTo limit: Duration = .seconds(20)) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.waitUntilFiredOrCancelled() }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first && isFired
        }
    }

    private func waitUntilFiredOrCancelled() async -> Bool {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.fired || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
        return isFired
    }
}

/// An ordered, thread-safe list of what happened in a test, for asserting the order of events.
package final class EventLog: Sendable {
    private let entries = Mutex<[String]>([])

    package init() {}

    package func record(_ event: String) { entries.withLock { $0.append(event) } }

    package var events: [String] { entries.withLock { $0 } }
}
