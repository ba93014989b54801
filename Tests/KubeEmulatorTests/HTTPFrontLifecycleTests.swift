import KubeEmulator
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
