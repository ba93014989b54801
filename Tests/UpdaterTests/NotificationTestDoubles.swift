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
    private let state: Mutex<(script: [Behaviour], delivered: [Notice], attempts: Int)>

    /// - Parameter script: behaviour of successive attempts; after it runs out, attempts succeed.
    init(_ name: String, script: [Behaviour] = []) {
        self.name = name
        self.state = Mutex((script, [], 0))
        (deliveries, continuation) = AsyncStream.makeStream()
    }

    var delivered: [Notice] { state.withLock { $0.delivered } }
    var attempts: Int { state.withLock { $0.attempts } }

    func deliver(_ notice: Notice) async throws(NotificationError) {
        let behaviour = state.withLock { state -> Behaviour in
            state.attempts += 1
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
