import Foundation
import Hummingbird
import TestSupport
import Testing
import Transport

@Suite("CurlTransport proxies")
struct CurlTransportProxyTests {
    @Test("proxy variables are read the way curl reads them")
    func environmentRules() {
        let proxies = ProxyConfiguration.fromEnvironment([
            "HTTP_PROXY": "http://ignored:1", "HTTPS_PROXY": "http://secure:2", "ALL_PROXY": "http://all:3",
            "NO_PROXY": "localhost,.cluster.local",
        ])
        #expect(proxies.proxy(forURL: "http://a.example.test/") == "http://all:3")
        #expect(proxies.proxy(forURL: "https://a.example.test/") == "http://secure:2")
        #expect(proxies.noProxy == "localhost,.cluster.local")
        let lower = ProxyConfiguration.fromEnvironment(["http_proxy": "http://plain:4", "https_proxy": "http://s:5"])
        #expect(lower.proxy(forURL: "http://a.example.test/") == "http://plain:4")
        #expect(lower.proxy(forURL: "HTTPS://a.example.test/") == "http://s:5")
        #expect(ProxyConfiguration.fromEnvironment([:]) == .none)
    }

    @Test("http_proxy sends requests through the proxy, and NO_PROXY hosts go direct")
    func proxyAndNoProxy() async throws {
        let proxyResponder: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            // The proxy sees the absolute-form target; Hummingbird splits it into authority and path.
            let target = "\(request.head.authority ?? "-")\(request.uri)"
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "proxied \(target)")))
        }
        let directResponder: @Sendable (Request, BasicRequestContext) async throws -> Response = { _, _ in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "direct")))
        }
        try await LoopbackHTTPServer.withServer(responder: proxyResponder) { proxy in
            try await LoopbackHTTPServer.withServer(responder: directResponder) { direct in
                let transport = try CurlTransport(
                    proxy: .fromEnvironment(["http_proxy": proxy.baseURL, "NO_PROXY": "localhost"]))
                let viaProxy = try await transport.send(Transport.HTTPRequest(url: "http://service.example.test/a?b=1"))
                #expect(String(decoding: viaProxy.body, as: UTF8.self) == "proxied service.example.test/a?b=1")
                let bypass = try await transport.send(Transport.HTTPRequest(url: "http://localhost:\(direct.port)/"))
                #expect(String(decoding: bypass.body, as: UTF8.self) == "direct")
                await transport.shutdown()
            }
        }
    }
}
