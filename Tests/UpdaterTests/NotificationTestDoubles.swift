import Clocks
import Synchronization
import Updater

/// A channel that records what it is asked to deliver and fails as scripted: the subject of the
/// fan-out and dedup tests (the real channels have their own suites against fixture servers).
final class RecordingChannel: NotificationChannel {
    enum Behaviour: Sendable {
        case succeed
        case fail(NotificationError.Kind)
        case hang
    }

    let name: String
    /// Every delivered notice, as it happens (for tests that wait for deliveries without sleeping).
    let deliveries: AsyncStream<Notice>
    private let continuation: AsyncStream<Notice>.Continuation
    private let clock: TestClock<Duration>?
    private let state: Mutex<(script: [Behaviour], delivered: [Notice], attempts: Int, times: [Duration])>

    /// - Parameters:
    ///   - script: behaviour of successive attempts; after it runs out, attempts succeed.
    ///   - clock: when given, the time of each attempt (since the clock's start) is recorded.
    init(_ name: String, script: [Behaviour] = [], clock: TestClock<Duration>? = nil) {
        self.name = name
        self.clock = clock
        self.state = Mutex((script, [], 0, []))
        (deliveries, continuation) = AsyncStream.makeStream()
    }

    /// When each attempt started, on the test clock.
    var attemptTimes: [Duration] { state.withLock { $0.times } }

    var delivered: [Notice] { state.withLock { $0.delivered } }
    var attempts: Int { state.withLock { $0.attempts } }

    func deliver(_ notice: Notice) async throws(NotificationError) {
        let time = clock.map { TestClock<Duration>.Instant().duration(to: $0.now) }
        let behaviour = state.withLock { state -> Behaviour in
            state.attempts += 1
            if let time { state.times.append(time) }
            return state.script.isEmpty ? .succeed : state.script.removeFirst()
        }
        switch behaviour {
        case .succeed:
            state.withLock { $0.delivered.append(notice) }
            continuation.yield(notice)
        case .fail(let kind):
            throw NotificationError(channel: name, kind: kind, message: "scripted failure")
        case .hang:
            // Suspends until cancelled (the fan-out's timeout cancels it).
            let stream = AsyncStream<Never> { _ in }
            for await _ in stream {}
            throw NotificationError(channel: name, kind: .cancelled, message: "cancelled")
        }
    }
}

/// Dedup records kept in memory, as the status of one object would keep them; `saves` counts writes.
final class MemoryLedgerStore: NotificationLedgerStore {
    private let state = Mutex<(records: [String: [NotifiedRecord]], saves: Int)>(([:], 0))

    var saves: Int { state.withLock { $0.saves } }

    func records(of owner: Finding.ObjectName) -> [NotifiedRecord] {
        state.withLock { $0.records[owner.description] ?? [] }
    }

    func load(_ owner: Finding.ObjectName) async throws(LedgerStoreError) -> [NotifiedRecord] {
        records(of: owner)
    }

    func save(_ records: [NotifiedRecord], for owner: Finding.ObjectName) async throws(LedgerStoreError) {
        state.withLock {
            $0.records[owner.description] = records
            $0.saves += 1
        }
    }
}

/// Runs `operation` while advancing `clock` in small steps until it finishes: deterministic for
/// code that sleeps on the clock whenever it gets there, without assuming when that is.
func drive<T: Sendable>(
    _ clock: TestClock<Duration>, step: Duration = .milliseconds(250), _ operation: @escaping @Sendable () async -> T
) async -> T {
    let done = Mutex(false)
    let task = Task {
        let result = await operation()
        done.withLock { $0 = true }
        return result
    }
    while !done.withLock({ $0 }) { await clock.advance(by: step) }
    return await task.value
}
