import Clocks
import Foundation
import KubernetesClient
import TestSupport
import Testing
import Transport

@Suite("Watcher over a scripted API server")
struct WatcherTests {
    static func line(_ type: String, _ name: String, _ version: String) -> String {
        #"{"type":"\#(type)","object":{"kind":"Lease","apiVersion":"coordination.k8s.io/v1","metadata":{"name":"\#(name)","namespace":"ops","resourceVersion":"\#(version)"}}}"#
            + "\n"
    }

    static func list(_ version: String, _ items: [(String, String)]) -> String {
        let objects = items.map { #"{"metadata":{"name":"\#($0.0)","namespace":"ops","resourceVersion":"\#($0.1)"}}"# }
        return #"{"metadata":{"resourceVersion":"\#(version)"},"items":[\#(objects.joined(separator: ","))]}"#
    }

    @Test("lists, watches, resumes after a dropped stream, re-lists after 410 with only the differences")
    func fullCycle() async throws {
        let path = "/apis/coordination.k8s.io/v1/namespaces/ops/leases"
        let watchQuery = { (version: String) in
            ["watch": "true", "resourceVersion": version, "allowWatchBookmarks": "true", "timeoutSeconds": "290"]
        }
        let transport = ScriptedTransport([
            .init(.get, path, query: ["limit": "500"], reply: .json(Self.list("10", [("a", "3"), ("b", "4")]))),
            .init(
                .get, path, query: watchQuery("10"),
                reply: .stream(
                    status: 200, headers: [:], chunks: [Data(Self.line("ADDED", "c", "11").utf8)],
                    failure: .brokenResponse(message: "connection reset"))),
            .init(
                .get, path, query: watchQuery("11"),
                reply: .stream(
                    status: 200, headers: [:],
                    chunks: [
                        Data(
                            #"{"type":"ERROR","object":{"kind":"Status","reason":"Expired","code":410}}"#.utf8 + [10])
                    ], failure: nil)),
            .init(.get, path, query: ["limit": "500"], reply: .json(Self.list("30", [("a", "3"), ("c", "25")]))),
            .init(
                .get, path, query: watchQuery("30"), reply: .stream(status: 200, headers: [:], chunks: [], failure: nil)
            ),
        ])
        let clock = TestClock()
        let client = KubernetesClient(
            configuration: ClientConfiguration(server: Wire.server, namespace: "ops"), transport: transport,
            clock: clock)
        let watcher = Watcher(
            client: client, Lease.self, in: "ops",
            configuration: WatcherConfiguration(backoff: Backoff(initialDelay: .seconds(1), jitter: 0)), clock: clock)
        let writer = StoreWriter<Lease>()
        let (events, continuation) = AsyncStream.makeStream(of: String.self)
        let consumer = Task {
            for await event in watcher.reflect(into: writer) { continuation.yield(Self.describe(event)) }
        }
        defer { consumer.cancel() }
        var received = events.makeAsyncIterator()
        var names: [String] = []
        for _ in 0..<5 { names.append(await received.next() ?? "end") }
        #expect(names == ["initStart", "initApply a", "initApply b", "initDone", "apply c@11"])
        await clock.waitForSleeper()
        await clock.advance(by: .seconds(1))
        let more = [await received.next() ?? "end", await received.next() ?? "end"]
        #expect(more == ["apply c@25", "delete b@4"])
        #expect(writer.store.list().map { "\($0.metadata.name!)@\($0.metadata.resourceVersion!)" } == ["a@3", "c@25"])
        await clock.waitForSleeper()
        transport.verify()
    }

    static func describe(_ event: WatcherEvent<Lease>) -> String {
        switch event {
        case .initStart: "initStart"
        case .initApply(let lease): "initApply \(lease.metadata.name ?? "")"
        case .initDone: "initDone"
        case .apply(let lease): "apply \(lease.metadata.name ?? "")@\(lease.metadata.resourceVersion ?? "")"
        case .delete(let lease): "delete \(lease.metadata.name ?? "")@\(lease.metadata.resourceVersion ?? "")"
        }
    }
}
