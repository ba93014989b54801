import Foundation
import HTTPTypes
import Hummingbird
import TestSupport
import Testing
import Transport

@Suite("CurlTransport over loopback HTTP")
struct CurlTransportHTTPTests {
    static func echoRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("hello") { _, _ in
            Response(
                status: .created,
                headers: [.contentType: "text/plain", HTTPField.Name("X-Test")!: "yes"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "hello, world")))
        }
        router.post("echo") { request, context in
            let body = try await request.body.collect(upTo: 1 << 20)
            let method = request.method.rawValue
            let type = request.headers[.contentType] ?? "none"
            let expect = request.headers[.expect] ?? "none"
            return Response(
                status: .ok,
                headers: [
                    HTTPField.Name("X-Method")!: method, HTTPField.Name("X-Type")!: type,
                    HTTPField.Name("X-Expect")!: expect,
                ],
                body: ResponseBody(byteBuffer: body))
        }
        router.put("echo") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            return Response(status: .ok, headers: [HTTPField.Name("X-Method")!: "PUT"], body: .init(byteBuffer: body))
        }
        router.get("headers") { request, _ in
            let agent = request.headers[.userAgent] ?? ""
            let custom = request.headers[HTTPField.Name("X-Custom")!] ?? ""
            return "\(agent)|\(custom)"
        }
        router.get("number/{n}") { _, context in
            context.parameters.get("n") ?? "?"
        }
        router.head("hello") { _, _ in Response(status: .ok, headers: [HTTPField.Name("X-Head")!: "1"]) }
        return router
    }

    @Test("a GET returns status, headers and body")
    func statusHeadersBody() async throws {
        let transport = try CurlTransport()
        try await LoopbackHTTPServer.withServer(Self.echoRouter()) { server in
            let response = try await transport.send(Transport.HTTPRequest(url: server.url("/hello")))
            #expect(response.status == 201)
            #expect(response.headers["content-type"] == "text/plain")
            #expect(response.headers["x-test"] == "yes")
            #expect(String(decoding: response.body, as: UTF8.self) == "hello, world")
        }
        await transport.shutdown()
    }

    @Test("a POST sends its body without Expect: 100-continue or a default content type")
    func postBody() async throws {
        let transport = try CurlTransport()
        let payload = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0) })
        try await LoopbackHTTPServer.withServer(Self.echoRouter()) { server in
            let response = try await transport.send(
                Transport.HTTPRequest(method: .post, url: server.url("/echo"), body: payload))
            #expect(response.status == 200)
            #expect(response.body == payload)
            #expect(response.headers["x-expect"] == "none")
            #expect(response.headers["x-type"] == "none")

            let put = try await transport.send(
                Transport.HTTPRequest(
                    method: .put, url: server.url("/echo"), headers: ["Content-Type": "application/json"],
                    body: Data("{}".utf8)))
            #expect(put.headers["x-method"] == "PUT")
            #expect(put.body == Data("{}".utf8))
        }
        await transport.shutdown()
    }

    @Test("custom headers are sent, and the User-Agent names the product")
    func requestHeaders() async throws {
        let transport = try CurlTransport()
        try await LoopbackHTTPServer.withServer(Self.echoRouter()) { server in
            let response = try await transport.send(
                Transport.HTTPRequest(url: server.url("/headers"), headers: ["X-Custom": "value 1"]))
            #expect(String(decoding: response.body, as: UTF8.self) == "\(BuildInfo.userAgent)|value 1")
        }
        await transport.shutdown()
    }

    @Test("a HEAD request returns the head and no body")
    func head() async throws {
        let transport = try CurlTransport()
        try await LoopbackHTTPServer.withServer(Self.echoRouter()) { server in
            let response = try await transport.send(Transport.HTTPRequest(method: .head, url: server.url("/hello")))
            #expect(response.status == 200)
            #expect(response.headers["x-head"] == "1")
            #expect(response.body.isEmpty)
        }
        await transport.shutdown()
    }

    @Test("an error status is a response, and checked() turns it into a typed error")
    func errorStatus() async throws {
        let transport = try CurlTransport()
        try await LoopbackHTTPServer.withServer(Self.echoRouter()) { server in
            let response = try await transport.send(Transport.HTTPRequest(url: server.url("/missing")))
            #expect(response.status == 404)
            #expect(throws: TransportError.self) { try response.checked() }
        }
        await transport.shutdown()
    }

    @Test("100 concurrent requests each get their own response")
    func concurrentRequests() async throws {
        let transport = try CurlTransport()
        try await LoopbackHTTPServer.withServer(Self.echoRouter()) { server in
            let bodies = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for index in 0..<100 {
                    group.addTask {
                        let response = try await transport.send(
                            Transport.HTTPRequest(url: server.url("/number/\(index)")))
                        #expect(response.status == 200)
                        return (index, String(decoding: response.body, as: UTF8.self))
                    }
                }
                var results: [Int: String] = [:]
                for try await (index, body) in group { results[index] = body }
                return results
            }
            #expect(bodies.count == 100)
            #expect(bodies.allSatisfy { $0.value == "\($0.key)" })
        }
        await transport.shutdown()
    }

    @Test("connection refused is a typed, retryable error")
    func connectionRefused() async throws {
        let transport = try CurlTransport()
        // Learn a free port by running a server and stopping it.
        let port = try await LoopbackHTTPServer.withServer(Self.echoRouter()) { $0.port }
        await #expect {
            _ = try await transport.send(Transport.HTTPRequest(url: "http://127.0.0.1:\(port)/"))
        } throws: { error in
            guard case .connectionFailed(let host, _) = error as? TransportError else { return false }
            return host == "127.0.0.1" && (error as? TransportError)?.isRetryable == true
        }
        await transport.shutdown()
    }

    @Test("a header value with a line break is refused before anything is sent")
    func headerInjection() async throws {
        let transport = try CurlTransport()
        await #expect {
            _ = try await transport.send(
                Transport.HTTPRequest(url: "http://127.0.0.1:9/", headers: ["Authorization": "Bearer x\r\nEvil: 1"]))
        } throws: { error in
            guard case .invalidRequest(let message) = error as? TransportError else { return false }
            return !message.contains("Bearer")
        }
        await transport.shutdown()
    }

    @Test("a URL with an unsupported scheme is an invalid request")
    func unsupportedScheme() async throws {
        let transport = try CurlTransport()
        await #expect {
            _ = try await transport.send(Transport.HTTPRequest(url: "file:///etc/passwd"))
        } throws: { error in
            if case .invalidRequest = error as? TransportError { return true }
            return false
        }
        await transport.shutdown()
    }

    @Test("after shutdown, requests fail as cancelled instead of hanging")
    func afterShutdown() async throws {
        let transport = try CurlTransport()
        try await LoopbackHTTPServer.withServer(Self.echoRouter()) { server in
            _ = try await transport.send(Transport.HTTPRequest(url: server.url("/hello")))
            await transport.shutdown()
            await #expect {
                _ = try await transport.send(Transport.HTTPRequest(url: server.url("/hello")))
            } throws: { error in
                if case .cancelled = error as? TransportError { return true }
                return false
            }
        }
    }
}
