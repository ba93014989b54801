import Foundation
import Hummingbird
import TestSupport
import Testing
import Transport

@Suite("CurlTransport streaming")
struct CurlTransportStreamingTests {
    @Test("a chunked stream delivers line 1 before the server writes line 2")
    func firstLineBeforeEnd() async throws {
        let events = EventLog()
        let clientGotLine1 = AsyncSignal()
        let router = Router()
        router.get("watch") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "{\"n\":1}\n"))
                    events.record("server wrote line 1")
                    let signalled = await clientGotLine1.wait()
                    events.record(signalled ? "server saw the client's line 1" : "server gave up waiting")
                    try await writer.write(ByteBuffer(string: "{\"n\":2}\n"))
                    events.record("server wrote line 2")
                    try await writer.finish(nil)
                })
        }
        let transport = try CurlTransport()
        try await LoopbackHTTPServer.withServer(router) { server in
            let response = try await transport.stream(
                Transport.HTTPRequest(url: server.url("/watch"), timeouts: HTTPTimeouts(total: nil)))
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "application/json")
            var lines: [String] = []
            for try await line in response.lines {
                let text = String(decoding: line, as: UTF8.self)
                lines.append(text)
                events.record("client got \(text)")
                if lines.count == 1 { clientGotLine1.fire() }
            }
            #expect(lines == ["{\"n\":1}", "{\"n\":2}"])
        }
        #expect(
            events.events == [
                "server wrote line 1", "client got {\"n\":1}", "server saw the client's line 1", "server wrote line 2",
                "client got {\"n\":2}",
            ])
        await transport.shutdown()
    }

    @Test("stream returns at the head, before any body byte is written")
    func headBeforeBody() async throws {
        let headReceived = AsyncSignal()
        let router = Router()
        router.get("slow") { _, _ in
            Response(
                status: .accepted,
                body: ResponseBody { writer in
                    // The head is flushed with the first write; an empty write flushes it alone.
                    try await writer.write(ByteBuffer())
                    let ok = await headReceived.wait()
                    try await writer.write(ByteBuffer(string: ok ? "after head" : "timed out"))
                    try await writer.finish(nil)
                })
        }
        let transport = try CurlTransport()
        try await LoopbackHTTPServer.withServer(router) { server in
            let response = try await transport.stream(Transport.HTTPRequest(url: server.url("/slow")))
            #expect(response.status == 202)
            headReceived.fire()
            let body = try await response.collect()
            #expect(String(decoding: body, as: UTF8.self) == "after head")
        }
        await transport.shutdown()
    }

    @Test("cancelling the iterating task aborts the transfer: the server sees the connection close")
    func cancellationClosesConnection() async throws {
        let firstChunk = AsyncSignal()
        let serverSawClose = AsyncSignal()
        let router = Self.endlessRouter(firesOnClose: serverSawClose)
        let transport = try CurlTransport()
        try await LoopbackHTTPServer.withServer(router) { server in
            let consumer = Task {
                let response = try await transport.stream(
                    Transport.HTTPRequest(url: server.url("/endless"), timeouts: HTTPTimeouts(total: nil)))
                for try await _ in response.body { firstChunk.fire() }
            }
            #expect(await firstChunk.wait())
            consumer.cancel()
            _ = await consumer.result
            #expect(await serverSawClose.wait(), "the server never noticed the client going away")
        }
        await transport.shutdown()
    }

    @Test("breaking out of the body iteration aborts the transfer")
    func breakAborts() async throws {
        let serverSawClose = AsyncSignal()
        let router = Self.endlessRouter(firesOnClose: serverSawClose)
        let transport = try CurlTransport()
        try await LoopbackHTTPServer.withServer(router) { server in
            do {
                let response = try await transport.stream(
                    Transport.HTTPRequest(url: server.url("/endless"), timeouts: HTTPTimeouts(total: nil)))
                for try await _ in response.lines { break }
            }
            #expect(await serverSawClose.wait(), "the server never noticed the client going away")
        }
        await transport.shutdown()
    }

    @Test("cancelling a request that waits for its response throws cancelled")
    func cancelWhileWaiting() async throws {
        let requestArrived = AsyncSignal()
        let router = Router()
        router.get("stall") { _, _ -> String in
            requestArrived.fire()
            try await Task.sleep(for: .seconds(60))
            return "late"
        }
        let transport = try CurlTransport()
        try await LoopbackHTTPServer.withServer(router) { server in
            let call = Task { try await transport.send(Transport.HTTPRequest(url: server.url("/stall"))) }
            #expect(await requestArrived.wait())
            call.cancel()
            await #expect {
                _ = try await call.value
            } throws: { error in
                if case .cancelled = error as? TransportError { return true }
                return false
            }
        }
        await transport.shutdown()
    }

    /// A server whose `/endless` writes a line every 20 ms until the client goes away, then fires
    /// `closed`.
    static func endlessRouter(firesOnClose closed: AsyncSignal) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("endless") { _, _ in
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    do {
                        while true {
                            try await writer.write(ByteBuffer(string: "tick\n"))
                            try await Task.sleep(for: .milliseconds(20))
                        }
                    } catch {
                        closed.fire()
                        throw error
                    }
                })
        }
        return router
    }

}
