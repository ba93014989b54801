import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Transport

/// The emulator's loopback HTTP/1.1 front (Hummingbird): keep-alive, chunked watch streams flushed per
/// event, and one catch-all responder feeding the shared ``EmulatorRouter`` — the same rules as
/// ``InProcessTransport``. Used by separate operator processes (libcurl) and the real kubectl.
///
/// Run it as a `Service`, or scoped with ``Emulator/withHTTPServer(port:_:)``.
package struct EmulatorHTTPServer: Service {
    package let emulator: Emulator
    package var host: String
    package var port: Int
    private let onRunning: @Sendable (Int) async -> Void
    private let gate = ShutdownGate()

    /// - Parameters:
    ///   - port: 0 picks a free port; `onRunning` receives the bound one.
    package init(
        emulator: Emulator, host: String = "127.0.0.1", port: Int = 0,
        onRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) {
        self.emulator = emulator
        self.host = host
        self.port = port
        self.onRunning = onRunning
    }

    /// Starts answering every new request with 503 (the first step of a shutdown).
    package func refuseNewRequests() { gate.close() }

    /// Serves until graceful shutdown or cancellation; open watches are ended first so the drain
    /// does not wait on them.
    package func run() async throws {
        let gate = self.gate
        let responder = CatchAllResponder(router: EmulatorRouter(emulator: emulator), gate: gate)
        let onRunning = self.onRunning
        var logger = Logger(label: "kube-emulator.http")
        logger.logLevel = .warning
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
        let emulator = self.emulator
        try await withGracefulShutdownHandler {
            try await app.run()
        } onGracefulShutdown: {
            // Close the gate first: a client that re-watches at once must be refused, or the drain
            // would wait for that new watch's timeoutSeconds.
            gate.close()
            Task { await emulator.dropWatches() }
        }
    }
}

/// The request context: Hummingbird's basics plus the channel, so a partition fault can break the
/// connection instead of answering.
struct EmulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    var maxUploadSize: Int { 64 << 20 }
}

/// Open while serving; closed once graceful shutdown starts, after which requests get 503, as a
/// kube-apiserver that is shutting down answers.
final class ShutdownGate: Sendable {
    private let closed = Mutex(false)

    var isClosed: Bool { closed.withLock { $0 } }

    func close() { closed.withLock { $0 = true } }
}

/// Every request goes to the shared router.
struct CatchAllResponder: HTTPResponder {
    typealias Context = EmulatorRequestContext
    let router: EmulatorRouter
    let gate: ShutdownGate

    func respond(to request: Request, context: EmulatorRequestContext) async throws -> Response {
        if gate.isClosed {
            let status =
                #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","#
                + #""message":"apiserver is shutting down","reason":"ServiceUnavailable","code":503}"#
            return Response(
                status: .serviceUnavailable,
                headers: [.contentType: "application/json", .connection: "close", .retryAfter: "1"],
                body: .init(byteBuffer: ByteBuffer(string: status)))
        }
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        var headers = Transport.HTTPHeaders()
        for field in request.headers { headers.add(field.name.rawName, field.value) }
        let routed = EmulatorRequest(
            method: request.method.rawValue, target: request.head.path ?? "/", headers: headers,
            body: Data(body.readableBytesView))
        let response = await router.respond(to: routed)
        if response.dropsConnection {
            context.channel.close(promise: nil)
            throw CancellationError()
        }
        var fields = HTTPFields()
        for field in response.headers {
            if let name = HTTPField.Name(field.name) { fields.append(HTTPField(name: name, value: field.value)) }
        }
        let status = HTTPResponse.Status(code: response.status)
        switch response.body {
        case .data(let data):
            return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        case .stream(let chunks):
            let body = ResponseBody { writer in
                for await chunk in chunks {
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
                try await writer.finish(nil)
            }
            return Response(status: status, headers: fields, body: body)
        }
    }
}

extension Emulator {
    /// Runs the HTTP front on 127.0.0.1 (port 0 = any free port) for the duration of `body`, which
    /// receives the base URL (`http://127.0.0.1:PORT`). Open watches are ended and the server stopped
    /// when `body` returns or throws.
    package func withHTTPServer<T: Sendable>(
        port: Int = 0, _ body: @Sendable (_ baseURL: String) async throws -> T
    ) async throws -> T {
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let server = EmulatorHTTPServer(emulator: self, port: port) { bound in
            portContinuation.yield(bound)
            portContinuation.finish()
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [server], gracefulShutdownSignals: [], logger: Logger(label: "kube-emulator")))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let bound = await iterator.next() else { throw CancellationError() }
            do {
                let result = try await body("http://127.0.0.1:\(bound)")
                server.refuseNewRequests()
                dropWatches()
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                server.refuseNewRequests()
                dropWatches()
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}
