import Foundation
package import Transport

/// An `HTTPTransport` that hands requests straight to the emulator's router — the same router as the
/// HTTP front, so every rule, fault hook and RBAC check applies — without sockets.
///
/// The URL's scheme and host are ignored (use ``Emulator/inProcessBaseURL``); path, query, method,
/// headers and body are routed as the HTTP front would. `timeouts.total` is honoured (a frozen
/// identity times out as over the network), a partition fault surfaces as
/// `TransportError.connectionFailed`, and cancelling the calling task aborts with `.cancelled`.
package struct InProcessTransport: HTTPTransport {
    package let emulator: Emulator
    private let router: EmulatorRouter

    package init(emulator: Emulator) {
        self.emulator = emulator
        self.router = EmulatorRouter(emulator: emulator)
    }

    package func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let response = try await stream(request)
        var body = Data()
        do {
            for try await chunk in response.body { body.append(chunk) }
        } catch {
            throw .brokenResponse(message: "\(error)")
        }
        return HTTPResponse(status: response.status, headers: response.headers, body: body)
    }

    package func stream(_ request: HTTPRequest) async throws(TransportError) -> HTTPStreamingResponse {
        let routed = EmulatorRequest(
            method: request.method.rawValue, target: Self.target(of: request.url), headers: request.headers,
            body: request.body ?? Data())
        let router = self.router
        let response: EmulatorResponse
        do {
            response = try await Self.withTimeout(request.timeouts.total) { await router.respond(to: routed) }
        } catch let error as TransportError {
            throw error
        } catch {
            throw .cancelled
        }
        if Task.isCancelled { throw .cancelled }
        if response.dropsConnection {
            throw .connectionFailed(host: "kube-emulator", message: "connection reset by peer (partition fault)")
        }
        switch response.body {
        case .data(let data):
            let body = AsyncThrowingStream<Data, any Error> { continuation in
                if !data.isEmpty { continuation.yield(data) }
                continuation.finish()
            }
            return HTTPStreamingResponse(status: response.status, headers: response.headers, body: body)
        case .stream(let chunks):
            let body = AsyncThrowingStream<Data, any Error> { continuation in
                let task = Task {
                    for await chunk in chunks { continuation.yield(chunk) }
                    continuation.finish()
                }
                continuation.onTermination = { _ in task.cancel() }
            }
            return HTTPStreamingResponse(status: response.status, headers: response.headers, body: body)
        }
    }

    /// `/path?query` of an absolute URL (or of a bare path).
    static func target(of url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url.hasPrefix("/") ? url : "/" + url }
        let afterScheme = url[scheme.upperBound...]
        guard let slash = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
        let target = String(afterScheme[slash...])
        return target.hasPrefix("?") ? "/" + target : target
    }

    private static func withTimeout<T: Sendable>(
        _ limit: Duration?, _ body: @escaping @Sendable () async -> T
    ) async throws -> T {
        guard let limit else { return await body() }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw TransportError.timeout(kind: .total, message: "no response within \(limit)")
            }
            return value
        }
    }
}
