package import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// A loopback HTTP server (Hummingbird, 127.0.0.1, port 0) that answers with a closure and records
/// every request — the base of the registry fixtures (token server, Hub API, GitLab API, paginating
/// OCI registry).
///
/// Use ``withServer(_:body:)``: the server runs for the body's duration and stops after it.
package final class RegistryFixtureHTTPServer: Sendable {
    /// One request as the server saw it.
    package struct RecordedRequest: Sendable {
        package var method: String
        /// Path and query, as sent.
        package var target: String
        /// Lowercased header names.
        package var headers: [String: String]
        package var body: Data

        package var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }
        package var query: [String: String] {
            guard let mark = target.firstIndex(of: "?") else { return [:] }
            var result: [String: String] = [:]
            for pair in target[target.index(after: mark)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncodingLoosely }
                result[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
            return result
        }
    }

    /// The reply to send.
    package struct Reply: Sendable {
        package var status: Int
        package var headers: [(String, String)]
        package var body: Data

        package init(status: Int, headers: [(String, String)] = [], body: Data = Data()) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        package static func json(_ text: String, status: Int = 200, headers: [(String, String)] = []) -> Reply {
            Reply(status: status, headers: [("Content-Type", "application/json")] + headers, body: Data(text.utf8))
        }
    }

    package typealias Handler = @Sendable (RecordedRequest) async -> Reply

    private let log = Mutex<[RecordedRequest]>([])
    /// `http://127.0.0.1:<port>` once running.
    package let baseURL: String
    package let port: Int

    private init(port: Int) {
        self.port = port
        self.baseURL = "http://127.0.0.1:\(port)"
    }

    /// Every request received so far, in order.
    package var requests: [RecordedRequest] { log.withLock { $0 } }

    /// Forgets the recorded requests.
    package func clearRequests() { log.withLock { $0.removeAll() } }

    fileprivate func record(_ request: RecordedRequest) { log.withLock { $0.append(request) } }

    /// Runs a server answering with `handler` while `body` runs.
    package static func withServer<T: Sendable>(
        _ handler: @escaping Handler,
        body: @Sendable (RegistryFixtureHTTPServer) async throws -> T
    ) async throws -> T {
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let box = Mutex<RegistryFixtureHTTPServer?>(nil)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            let bytes = try await request.body.collect(upTo: 64 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            if let authority = request.head.authority { headers["host"] = authority }
            let recorded = RecordedRequest(
                method: request.method.rawValue,
                target: request.uri.description,
                headers: headers,
                body: Data(bytes.readableBytesView)
            )
            box.withLock { $0 }?.record(recorded)
            let reply = await handler(recorded)
            var fields = HTTPFields()
            for (name, value) in reply.headers {
                if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
            }
            return Response(
                status: .init(code: reply.status),
                headers: fields,
                body: .init(byteBuffer: ByteBuffer(bytes: reply.body))
            )
        }
        var logger = Logger(label: "registry-fixture")
        logger.logLevel = .critical
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.runService(gracefulShutdownSignals: [])
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                group.cancelAll()
                throw FixtureError("fixture server did not start")
            }
            let server = RegistryFixtureHTTPServer(port: port)
            box.withLock { $0 = server }
            do {
                let result = try await body(server)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}

/// A fixture that could not be set up (tool failed, server did not start).
package struct FixtureError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

extension String {
    /// `%2F` → `/`, `+` kept; malformed escapes left as they are.
    fileprivate var removingPercentEncodingLoosely: String {
        var bytes: [UInt8] = []
        var iterator = Array(utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
