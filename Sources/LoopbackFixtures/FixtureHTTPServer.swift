package import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
package import Transport

/// A loopback HTTP server that answers with a closure (or a script of replies) and records every
/// request: the peer for tests of clients that talk to third-party APIs (registries, the Hub and GitLab
/// APIs, a token server, Telegram, webhooks).
///
/// Built on ``LoopbackHTTPServer`` (the family's base, for tests that want a Hummingbird router): it runs
/// for the duration of the body given to `withServer` and stops after it.
package final class FixtureHTTPServer: Sendable {
    /// One request as the server saw it.
    package struct RecordedRequest: Sendable {
        package var method: String
        /// Path and query, as sent.
        package var target: String
        /// The request's headers, plus `host` (the authority).
        package var headers: HTTPHeaders
        package var body: Data

        package var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }
        /// The query parameters, percent-decoded (`+` kept).
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

    /// `http://127.0.0.1:<port>`.
    package let baseURL: String
    package let port: Int
    private let log = Mutex<[RecordedRequest]>([])

    private init(port: Int) {
        self.port = port
        self.baseURL = "http://127.0.0.1:\(port)"
    }

    /// An absolute URL for a path (which should start with `/`).
    package func url(_ path: String) -> String { baseURL + path }

    /// Every request received so far, oldest first.
    package var requests: [RecordedRequest] { log.withLock { $0 } }

    /// Forgets the recorded requests.
    package func clearRequests() { log.withLock { $0.removeAll() } }

    /// Runs a server answering with `handler` while `body` runs.
    package static func withServer<Result: Sendable>(
        _ handler: @escaping Handler, body: (FixtureHTTPServer) async throws -> Result
    ) async throws -> Result {
        let holder = Mutex<FixtureHTTPServer?>(nil)
        let responder: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let data = try await request.body.collect(upTo: 64 << 20)
            var headers = HTTPHeaders()
            for field in request.headers { headers.add(field.name.rawName, field.value) }
            if let authority = request.head.authority, headers["host"] == nil { headers.add("host", authority) }
            let recorded = RecordedRequest(
                method: request.method.rawValue, target: request.uri.description, headers: headers,
                body: Data(data.readableBytesView))
            guard let server = holder.withLock({ $0 }) else { return Response(status: .serviceUnavailable) }
            server.log.withLock { $0.append(recorded) }
            let reply = await handler(recorded)
            var fields = HTTPFields()
            for (name, value) in reply.headers {
                if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
            }
            return Response(
                status: HTTPTypes.HTTPResponse.Status(code: reply.status), headers: fields,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
        }
        return try await LoopbackHTTPServer.withServer(responder: responder) { loopback in
            let server = FixtureHTTPServer(port: loopback.port)
            holder.withLock { $0 = server }
            return try await body(server)
        }
    }

    /// Runs a server answering with `replies` in order (the last one repeats) while `body` runs.
    package static func withServer<Result: Sendable>(
        replies: [Transport.HTTPResponse], _ body: (FixtureHTTPServer) async throws -> Result
    ) async throws -> Result {
        let script = Mutex(replies)
        return try await withServer(
            { _ in
                let reply = script.withLock { replies -> Transport.HTTPResponse in
                    guard let first = replies.first else { return Transport.HTTPResponse(status: 200) }
                    if replies.count > 1 { replies.removeFirst() }
                    return first
                }
                return Reply(status: reply.status, headers: reply.headers.map { ($0.name, $0.value) }, body: reply.body)
            }, body: body)
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
