import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TestSupport
import Testing
import Transport

@Suite("CurlTransport lifecycle")
struct CurlTransportLifecycleTests {
    @Test("shutdown fails in-flight requests with cancelled instead of leaving them hanging")
    func shutdownFailsInFlight() async throws {
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
            await transport.shutdown()
            await #expect {
                _ = try await call.value
            } throws: { error in
                if case .cancelled = error as? TransportError { return true }
                return false
            }
        }
    }

    @Test("as a Service, the transport serves until graceful shutdown, then stops")
    func serviceLifecycle() async throws {
        let router = Router()
        router.get("ok") { _, _ in "ok" }
        let transport = try CurlTransport()
        try await LoopbackHTTPServer.withServer(router) { server in
            let group = ServiceGroup(
                configuration: .init(services: [transport], logger: Logger(label: "test")))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let response = try await transport.send(Transport.HTTPRequest(url: server.url("/ok")))
                #expect(response.status == 200)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            await #expect {
                _ = try await transport.send(Transport.HTTPRequest(url: server.url("/ok")))
            } throws: { error in
                if case .cancelled = error as? TransportError { return true }
                return false
            }
        }
    }
}

@Suite("CurlTransport connection reuse")
struct CurlTransportConnectionReuseTests {
    @Test("sequential requests reuse one kept-alive connection")
    func reuse() async throws {
        let router = Router(context: PeerRequestContext.self)
        router.get("port") { _, context in "\(context.remotePort ?? -1)" }
        let transport = try CurlTransport()
        try await LoopbackHTTPServer.withServer(router) { server in
            var ports: Set<String> = []
            for _ in 0..<5 {
                let response = try await transport.send(Transport.HTTPRequest(url: server.url("/port")))
                ports.insert(String(decoding: response.body, as: UTF8.self))
            }
            #expect(ports.count == 1)
            #expect(!ports.contains("-1"))
        }
        await transport.shutdown()
    }
}
