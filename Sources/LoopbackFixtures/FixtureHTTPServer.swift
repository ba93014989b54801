import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
package import Transport

package import struct Foundation.Data

/// A loopback HTTP server that answers from a script and records every request: the peer for tests
/// of clients that talk to third-party APIs (Telegram, webhooks, registries).
///
/// Replies are used in order; the last one repeats. Built on ``LoopbackHTTPServer``.
package final class FixtureHTTPServer: Sendable {
    /// A request as the server received it.
    package struct RecordedRequest: Sendable {
        package var method: String
        /// Path and query, as sent.
        package var target: String
        package var headers: HTTPHeaders
        package var body: Data
    }

    /// `http://127.0.0.1:<port>`.
    package let baseURL: String

    /// An absolute URL for a path (which should start with `/`).
    package func url(_ path: String) -> String { baseURL + path }
    private let state: Mutex<(replies: [Transport.HTTPResponse], requests: [RecordedRequest])>

    private init(baseURL: String, replies: [Transport.HTTPResponse]) {
        self.baseURL = baseURL
        self.state = Mutex((replies, []))
    }

    /// Every request received so far, oldest first.
    package var requests: [RecordedRequest] { state.withLock { $0.requests } }

    /// Runs a server answering with `replies` while `body` runs.
    package static func withServer<Result: Sendable>(
        replies: [Transport.HTTPResponse], _ body: (FixtureHTTPServer) async throws -> Result
    ) async throws -> Result {
        let holder = Mutex<FixtureHTTPServer?>(nil)
        let responder: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let data = try await request.body.collect(upTo: 16 << 20)
            var headers = HTTPHeaders()
            for field in request.headers { headers.add(field.name.rawName, field.value) }
            let recorded = RecordedRequest(
                method: request.method.rawValue, target: request.uri.description, headers: headers,
                body: Data(data.readableBytesView))
            guard let server = holder.withLock({ $0 }) else { return Response(status: .serviceUnavailable) }
            return server.respond(to: recorded)
        }
        return try await LoopbackHTTPServer.withServer(responder: responder) { loopback in
            let server = FixtureHTTPServer(baseURL: loopback.baseURL, replies: replies)
            holder.withLock { $0 = server }
            return try await body(server)
        }
    }

    private func respond(to request: RecordedRequest) -> Response {
        let reply = state.withLock { state -> Transport.HTTPResponse in
            state.requests.append(request)
            guard let first = state.replies.first else { return Transport.HTTPResponse(status: 200) }
            if state.replies.count > 1 { state.replies.removeFirst() }
            return first
        }
        var fields = HTTPFields()
        for field in reply.headers {
            if let name = HTTPField.Name(field.name) { fields.append(HTTPField(name: name, value: field.value)) }
        }
        return Response(
            status: HTTPTypes.HTTPResponse.Status(code: reply.status), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}
