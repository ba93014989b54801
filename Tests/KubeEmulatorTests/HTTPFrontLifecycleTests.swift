import KubeEmulator
import Logging
import ServiceLifecycle
import Testing
import Transport

/// The HTTP front's lifecycle: shutdown and cancellation with open watches.
@Suite("HTTP front lifecycle")
struct HTTPFrontLifecycleTests {
    @Test("leaving withHTTPServer ends open watches and stops the server")
    func shutdownWithOpenWatch() async throws {
        let emulator = Emulator()
        try await withHTTPClient { transport in
            let url = try await emulator.withHTTPServer { baseURL in
                let response = try await transport.stream(
                    HTTPRequest(
                        url: baseURL + "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0",
                        timeouts: HTTPTimeouts(total: nil)))
                #expect(response.status == 200)
                return baseURL
            }
            await #expect(throws: TransportError.self) {
                _ = try await transport.send(
                    HTTPRequest(url: url + "/version", timeouts: HTTPTimeouts(connect: .seconds(2))))
            }
        }
    }

    @Test("once shutdown starts, new requests get 503 with a Status and Retry-After; then the server stops")
    func refusesNewRequestsDuringShutdown() async throws {
        let emulator = Emulator()
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let server = EmulatorHTTPServer(emulator: emulator) { port in portContinuation.yield(port) }
        let group = ServiceGroup(
            configuration: .init(services: [server], logger: Logger(label: "k8supdater.test.emulator-shutdown")))
        try await withHTTPClient { transport in
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var iterator = ports.makeAsyncIterator()
                let port = try #require(await iterator.next())
                let base = "http://127.0.0.1:\(port)"
                #expect(try await transport.send(HTTPRequest(url: base + "/api/v1/namespaces")).status == 200)

                // The first step of a graceful shutdown (also taken by the ServiceGroup's handler).
                server.refuseNewRequests()
                let refused = try await transport.send(HTTPRequest(url: base + "/api/v1/namespaces"))
                #expect(refused.status == 503)
                #expect(refused.headers["Retry-After"] == "1")
                let status = String(decoding: refused.body, as: UTF8.self)
                #expect(status.contains(#""kind":"Status""#))
                #expect(status.contains(#""reason":"ServiceUnavailable""#))

                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    @Test("cancelling the task that runs the server with an open watch does not crash")
    func cancellationWithOpenWatch() async throws {
        let emulator = Emulator()
        let (opened, openedContinuation) = AsyncStream<Void>.makeStream()
        try await withHTTPClient { transport in
            let server = Task {
                try await emulator.withHTTPServer { baseURL in
                    let response = try await transport.stream(
                        HTTPRequest(
                            url: baseURL + "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0",
                            timeouts: HTTPTimeouts(total: nil)))
                    openedContinuation.yield()
                    for try await _ in response.body {}
                }
            }
            for await _ in opened { break }
            server.cancel()
            _ = await server.result
            #expect(await emulator.openWatchCount == 0)
        }
    }
}
