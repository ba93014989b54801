import Hummingbird
package import Logging
import NIOCore
package import Prometheus
import ServiceLifecycle

/// The operator's HTTP listener, a `Service` for its `ServiceGroup` (graceful shutdown stops it):
///
/// - `GET /healthz`: 200 `ok` while the process and its event loop answer (the liveness probe);
/// - `GET /readyz`: 200 `ok` when ``Readiness`` passes, else 503 listing the failing checks, one per line;
/// - `GET /metrics`: the Prometheus text exposition of `registry` — the registry the process bootstraps
///   swift-metrics with (``OperatorMetrics/bootstrap(registry:)``).
package struct OperatorHTTPServer: Service {
    private let address: HostPort
    private let readiness: Readiness
    private let registry: PrometheusCollectorRegistry
    private let logger: Logger
    private let onListening: @Sendable (Int) async -> Void
    private let beforeScrape: @Sendable () -> Void

    /// - Parameters:
    ///   - onListening: called with the bound port once the server listens (port 0 binds any).
    ///   - beforeScrape: brings time-derived gauges up to date before each `/metrics` answer.
    package init(
        address: HostPort, readiness: Readiness, registry: PrometheusCollectorRegistry, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in },
        beforeScrape: @escaping @Sendable () -> Void = {}
    ) {
        self.address = address
        self.readiness = readiness
        self.registry = registry
        self.logger = logger
        self.beforeScrape = beforeScrape
        self.onListening = onListening
    }

    package func run() async throws {
        let router = Router()
        router.get("healthz") { _, _ in Self.text("ok\n") }
        router.get("readyz") { [readiness] _, _ in
            let failing = readiness.failing
            if failing.isEmpty { return Self.text("ok\n") }
            let lines = failing.map { "not ready: \($0)\n" }.joined()
            return Self.text(lines, status: .serviceUnavailable)
        }
        router.get("metrics") { [registry, beforeScrape] _, _ in
            beforeScrape()
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            let bytes = registry.emitToBuffer()
            return Response(
                status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        let onListening = self.onListening
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(address.host, port: address.port)),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        try await app.run()
    }

    private static func text(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
