package import Hummingbird
import Logging
import NIOCore

/// A real HTTP/1.1 server on `127.0.0.1` and a kernel-chosen port, for tests that need a peer on the
/// other end of a socket (transport tests, fixture servers for registry, GitLab, Telegram or webhook
/// clients).
///
/// The server lives exactly as long as the closure given to ``withServer(_:_:)``: it is listening before
/// the closure starts, and when the closure returns or throws the server task is cancelled, which closes
/// the listener and every open connection (handlers still running are cancelled too).
///
/// ```swift
/// let router = Router()
/// router.get("hello") { _, _ in "hi" }
/// try await LoopbackHTTPServer.withServer(router) { server in
///     let response = try await transport.send(.init(url: server.url("/hello")))
/// }
/// ```
///
/// Routes are Hummingbird 2 routers (or any responder builder); ``withServer(responder:_:)`` takes a
/// single closure instead. Streaming responses are written piece by piece with
/// `ResponseBody { writer in try await writer.write(…); try await writer.finish(nil) }` — without a
/// content length they go out chunked, each write flushed as it is made.
package struct LoopbackHTTPServer: Sendable {
    /// The port the server is bound to.
    package let port: Int

    /// `http://127.0.0.1:<port>`.
    package var baseURL: String { "http://127.0.0.1:\(port)" }

    /// An absolute URL for a path (which should start with `/`).
    package func url(_ path: String) -> String { baseURL + path }

    /// Runs a server answering with `routes` while `body` runs.
    ///
    /// - Throws: whatever `body` throws, or the server's start-up error (then `body` does not run).
    package static func withServer<Routes: HTTPResponderBuilder, Result: Sendable>(
        _ routes: Routes,
        _ body: (LoopbackHTTPServer) async throws -> Result
    ) async throws -> Result
    where Routes.Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "k8supdater.test.loopback-http")
        // Shutting down by cancellation makes Hummingbird log "Waiting on child channel: CancellationError()".
        logger.logLevel = .critical
        let app = Application(
            router: routes,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { portContinuation.finish() }
                try await app.run()
            }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                // The server ended before listening: surface its error.
                try await group.next()
                throw StartupError()
            }
            return try await body(LoopbackHTTPServer(port: port))
        }
    }

    /// Runs a server that answers every request with `responder` while `body` runs.
    package static func withServer<Result: Sendable>(
        responder: @escaping @Sendable (Request, BasicRequestContext) async throws -> Response,
        _ body: (LoopbackHTTPServer) async throws -> Result
    ) async throws -> Result {
        try await withServer(ResponderBuilder(responder: CallbackResponder(callback: responder)), body)
    }

    /// The server stopped before it reported a listening port.
    package struct StartupError: Error, CustomStringConvertible {
        package var description: String { "the loopback HTTP server did not start" }
    }
}

/// Wraps a ready responder so it can be given where a builder is expected.
private struct ResponderBuilder<Responder: HTTPResponder>: HTTPResponderBuilder {
    let responder: Responder
    func buildResponder() -> Responder { responder }
}
