import Foundation
import KubeEmulator
import KubernetesClient
import TestSupport
import Testing
import Transport

/// The watcher under the emulator's fault hooks: whatever happens to the connection, the store ends
/// equal to the server's state, and the consumer saw no phantom and no duplicate event.
@Suite("Watcher under faults")
struct WatcherFaultTests {
    /// Starts a watcher + reflector on leases in `default`; returns the store, the ledger and the task.
    static func startWatcher(_ client: KubernetesClient) -> (Store<Lease>, EventLedger<Lease>, Task<Void, Never>) {
        let writer = StoreWriter<Lease>()
        let ledger = EventLedger<Lease>()
        let watcher = Watcher(
            client: client, Lease.self, in: "default", configuration: EmulatorFixture.fastWatch,
            clock: ContinuousClock())
        let task = Task {
            for await event in watcher.reflect(into: writer) { ledger.record(event) }
        }
        return (writer.store, ledger, task)
    }

    /// Server state as `name → resourceVersion`, read with `client`.
    static func serverState(_ client: KubernetesClient) async throws -> [ObjectKey: String] {
        let list = try await client.listAll(Lease.self, in: "default")
        return Dictionary(uniqueKeysWithValues: list.items.map { ($0.key, $0.metadata.resourceVersion ?? "") })
    }

    static func storeState(_ store: Store<Lease>) -> [ObjectKey: String] {
        Dictionary(uniqueKeysWithValues: store.list().map { ($0.key, $0.metadata.resourceVersion ?? "") })
    }

    /// Waits until store, ledger and server agree, then checks there were no phantoms.
    static func expectConverged(
        _ store: Store<Lease>, _ ledger: EventLedger<Lease>, _ client: KubernetesClient,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let converged = try await EmulatorFixture.eventually {
            let server = try await serverState(client)
            return storeState(store) == server && ledger.versions == server
        }
        let server = try await serverState(client)
        #expect(converged, "store \(storeState(store)) ≠ server \(server)", sourceLocation: sourceLocation)
        #expect(ledger.problems.isEmpty, "\(ledger.problems)", sourceLocation: sourceLocation)
    }

    static func mutate(_ client: KubernetesClient, round: Int) async throws {
        _ = try await client.create(EmulatorFixture.lease("new-\(round)"))
        _ = try await client.patch(
            Lease.self, name: "seed-\(round)", patch: .merge(["spec": ["holderIdentity": .string("round-\(round)")]]))
        try await client.delete(Lease.self, name: "seed-\(round + 5)")
    }

    @Test(
        "a dropped watch resumes from its resourceVersion without losing or repeating events",
        arguments: Emulator.Front.allCases
    )
    func droppedConnection(front: Emulator.Front) async throws {
        let emulator = Emulator()
        try await EmulatorFixture.withClient(front, emulator) { client, _ in
            for index in 0..<10 { _ = try await client.create(EmulatorFixture.lease("seed-\(index)")) }
            let (store, ledger, task) = Self.startWatcher(client)
            defer { task.cancel() }
            try await store.waitUntilSynced()
            try await Self.mutate(client, round: 0)
            try await Self.expectConverged(store, ledger, client)
            await emulator.dropWatches()
            try await Self.mutate(client, round: 1)
            await emulator.dropWatches()
            try await Self.mutate(client, round: 2)
            try await Self.expectConverged(store, ledger, client)
            #expect(Set(ledger.deletes.map(\.name)) == ["seed-5", "seed-6", "seed-7"])
        }
    }

    @Test(
        "a forced 410 re-lists and reports the deletions that happened during the gap",
        arguments: Emulator.Front.allCases)
    func goneWithDeletionsInTheGap(front: Emulator.Front) async throws {
        let emulator = Emulator()
        try await EmulatorFixture.withClient(front, emulator) { client, transport in
            for index in 0..<10 { _ = try await client.create(EmulatorFixture.lease("seed-\(index)")) }
            let (store, ledger, task) = Self.startWatcher(client)
            defer { task.cancel() }
            try await store.waitUntilSynced()
            // Keep the watcher out while objects change and the history is compacted.
            emulator.faults.failNext(4, verb: "watch", resource: "leases", code: 503)
            await emulator.dropWatches()
            try await Self.mutate(client, round: 0)
            try await Self.mutate(client, round: 1)
            await emulator.compactHistory()
            try await Self.expectConverged(store, ledger, client)
            #expect(Set(ledger.deletes.map(\.name)) == ["seed-5", "seed-6"])
            let lists = transport.requests.filter { $0.contains("/leases?") && !$0.contains("watch=true") }
            #expect(lists.count >= 2 * 4, "expected a re-list (4 pages of 3) after the initial list: \(lists)")
        }
    }

    @Test("an API server restart (HTTP front down, history lost) is survived")
    func serverRestart() async throws {
        let emulator = Emulator()
        let mutator = EmulatorFixture.client(Emulator.inProcessBaseURL, emulator, emulator.transport)
        for index in 0..<10 { _ = try await mutator.create(EmulatorFixture.lease("seed-\(index)")) }
        let curl = try CurlTransport()
        let writer = StoreWriter<Lease>()
        let ledger = EventLedger<Lease>()
        let (port, task) = try await emulator.withHTTPServer { baseURL in
            let client = EmulatorFixture.client(baseURL, emulator, curl)
            let watcher = Watcher(
                client: client, Lease.self, in: "default", configuration: EmulatorFixture.fastWatch,
                clock: ContinuousClock())
            let task = Task {
                for await event in watcher.reflect(into: writer) { ledger.record(event) }
            }
            try await writer.store.waitUntilSynced()
            try await Self.mutate(mutator, round: 0)
            try await Self.expectConverged(writer.store, ledger, mutator)
            // Going down: new watches are refused, so the drain does not wait on a re-opened one.
            emulator.faults.failNext(1_000, verb: "watch", resource: "leases", code: 503)
            return (Int(baseURL.split(separator: ":").last ?? "") ?? 0, task)
        }
        defer { task.cancel() }
        // Down: changes happen and the watch cache is lost.
        try await Self.mutate(mutator, round: 1)
        try await Self.mutate(mutator, round: 2)
        await emulator.compactHistory()
        emulator.faults.reset()
        try await emulator.withHTTPServer(port: port) { _ in
            try await Self.expectConverged(writer.store, ledger, mutator)
        }
        #expect(Set(ledger.deletes.map(\.name)) == ["seed-5", "seed-6", "seed-7"])
    }
}
