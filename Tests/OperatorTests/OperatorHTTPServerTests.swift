import Foundation
import Logging
import Metrics
import OperatorCore
import Prometheus
import ServiceLifecycle
import Testing
import Transport

@Suite("OperatorHTTPServer: /healthz, /readyz, /metrics over loopback")
struct OperatorHTTPServerTests {
    /// Runs the server on a kernel-chosen loopback port in a ServiceGroup while `body` runs, then shuts
    /// the group down gracefully.
    static func withServer(
        readiness: Readiness, registry: PrometheusCollectorRegistry,
        _ body: @Sendable (_ baseURL: String, _ transport: CurlTransport) async throws -> Void
    ) async throws {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "k8supdater.test.http")
        logger.logLevel = .critical
        let server = OperatorHTTPServer(
            address: HostPort(host: "127.0.0.1", port: 0), readiness: readiness, registry: registry, logger: logger
        ) { port in
            continuation.yield(port)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        let transport = try CurlTransport()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            try #require(port > 0)
            do {
                try await body("http://127.0.0.1:\(port)", transport)
            } catch {
                await group.triggerGracefulShutdown()
                await transport.shutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await transport.shutdown()
    }

    static func get(_ transport: CurlTransport, _ url: String) async throws -> (Int, String) {
        let response = try await transport.send(HTTPRequest(url: url))
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    @Test("/healthz answers while the process runs")
    func healthz() async throws {
        try await Self.withServer(readiness: Readiness(checks: [.shardLeaseHeld]), registry: .init()) {
            base, transport in
            let (status, body) = try await Self.get(transport, base + "/healthz")
            #expect(status == 200)
            #expect(body == "ok\n")
        }
    }

    @Test("/readyz is 503 listing failing checks until every check passes, and flips back")
    func readinessFlip() async throws {
        let readiness = Readiness(checks: [.shardLeaseHeld, .cacheSynced])
        try await Self.withServer(readiness: readiness, registry: .init()) { base, transport in
            var (status, body) = try await Self.get(transport, base + "/readyz")
            #expect(status == 503)
            #expect(body == "not ready: shard lease held\nnot ready: cache synced\n")

            readiness.set(.shardLeaseHeld, passing: true)
            (status, body) = try await Self.get(transport, base + "/readyz")
            #expect(status == 503)
            #expect(body == "not ready: cache synced\n")

            readiness.set(.cacheSynced, passing: true)
            (status, body) = try await Self.get(transport, base + "/readyz")
            #expect(status == 200)
            #expect(body == "ok\n")

            readiness.set(.shardLeaseHeld, passing: false)
            (status, body) = try await Self.get(transport, base + "/readyz")
            #expect(status == 503)
            #expect(body == "not ready: shard lease held\n")
        }
    }

    @Test("a counter incremented through swift-metrics appears in /metrics")
    func metrics() async throws {
        let registry = PrometheusCollectorRegistry()
        let factory = OperatorMetrics.factory(registry: registry)
        let counter = Counter(label: "k8supdater_checks_total", dimensions: [("result", "updated")], factory: factory)
        counter.increment(by: 3)
        let timer = Metrics.Timer(label: "k8supdater_reconcile_duration_seconds", factory: factory)
        timer.recordMilliseconds(20)
        try await Self.withServer(readiness: Readiness(checks: []), registry: registry) { base, transport in
            let response = try await transport.send(HTTPRequest(url: base + "/metrics"))
            #expect(response.status == 200)
            #expect(response.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(decoding: response.body, as: UTF8.self)
            #expect(text.contains("# TYPE k8supdater_checks_total counter"))
            #expect(text.contains(#"k8supdater_checks_total{result="updated"} 3"#))
            #expect(text.contains("k8supdater_reconcile_duration_seconds_count 1"))

            counter.increment()
            let again = try await Self.get(transport, base + "/metrics")
            #expect(again.1.contains(#"k8supdater_checks_total{result="updated"} 4"#))
        }
    }

    @Test("an unknown path is 404")
    func unknownPath() async throws {
        try await Self.withServer(readiness: Readiness(checks: []), registry: .init()) { base, transport in
            let (status, _) = try await Self.get(transport, base + "/debug/pprof")
            #expect(status == 404)
        }
    }

    @Test("readiness with no checks is ready; checks added later count")
    func readinessModel() {
        let readiness = Readiness(checks: [])
        #expect(readiness.isReady)
        readiness.set("leader known", passing: false)
        #expect(readiness.failing == ["leader known"])
        readiness.set("leader known", passing: true)
        #expect(readiness.isReady)
    }
}
