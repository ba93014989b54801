import Foundation
import KubeEmulator
import Testing
import Transport

/// A client of one emulator through one front, speaking raw HTTP + JSON.
struct Client: Sendable {
    let emulator: Emulator
    let transport: any HTTPTransport
    let baseURL: String
    var token: String?

    struct Reply: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var json: JSON
    }

    func request(
        _ method: HTTPMethod, _ path: String, body: JSON? = nil, contentType: String = "application/json",
        accept: String? = nil, extraHeaders: HTTPHeaders = [:]
    ) async throws -> Reply {
        var headers = extraHeaders
        if body != nil { headers["Content-Type"] = contentType }
        if let accept { headers["Accept"] = accept }
        if let token { headers["Authorization"] = "Bearer \(token)" }
        let response = try await transport.send(
            HTTPRequest(method: method, url: baseURL + path, headers: headers, body: body?.encoded()))
        let json = response.body.isEmpty ? JSON.null : try JSON(parsing: response.body)
        return Reply(status: response.status, headers: response.headers, json: json)
    }

    func get(_ path: String, accept: String? = nil) async throws -> Reply {
        try await request(.get, path, accept: accept)
    }

    func post(_ path: String, _ body: JSON) async throws -> Reply { try await request(.post, path, body: body) }
    func put(_ path: String, _ body: JSON) async throws -> Reply { try await request(.put, path, body: body) }
    func delete(_ path: String, _ body: JSON? = nil) async throws -> Reply {
        try await request(.delete, path, body: body)
    }

    func patch(_ path: String, _ body: JSON, type: String = "application/merge-patch+json") async throws -> Reply {
        try await request(.patch, path, body: body, contentType: type)
    }

    /// Opens a watch and returns its events as parsed JSON lines.
    func watch(_ path: String, accept: String? = nil) async throws -> WatchEvents {
        var headers: HTTPHeaders = [:]
        if let accept { headers["Accept"] = accept }
        if let token { headers["Authorization"] = "Bearer \(token)" }
        let response = try await transport.stream(
            HTTPRequest(
                method: .get, url: baseURL + path, headers: headers,
                timeouts: HTTPTimeouts(connect: .seconds(5), total: nil)))
        #expect(response.status == 200)
        return WatchEvents(lines: response.lines)
    }

    /// The same emulator through the same front, authenticated with another token.
    func with(token: String) -> Client {
        var copy = self
        copy.token = token
        return copy
    }
}

/// The events of a watch, one at a time.
struct WatchEvents: @unchecked Sendable {
    var iterator: AsyncThrowingStream<Data, any Error>.AsyncIterator

    init(lines: AsyncThrowingStream<Data, any Error>) { iterator = lines.makeAsyncIterator() }

    /// The next event, or nil when the server ended the stream.
    mutating func next() async throws -> JSON? {
        guard let line = try await iterator.next() else { return nil }
        return try JSON(parsing: line)
    }

    /// The next `count` events as `TYPE name` strings.
    mutating func next(_ count: Int) async throws -> [String] {
        var out: [String] = []
        for _ in 0..<count {
            guard let event = try await next() else { break }
            out.append("\(event["type"]?.stringValue ?? "") \(event["object"]?.name ?? "")")
        }
        return out
    }
}

/// Runs `body` against a fresh emulator through `front`.
func withEmulator(
    _ front: Emulator.Front, configuration: Emulator.Configuration = Emulator.Configuration(),
    _ body: @Sendable (Client) async throws -> Void
) async throws {
    let emulator = Emulator(configuration: configuration)
    switch front {
    case .inProcess:
        try await body(Client(emulator: emulator, transport: emulator.transport, baseURL: Emulator.inProcessBaseURL))
    case .http:
        try await emulator.withHTTPServer { baseURL in
            try await withHTTPClient { transport in
                try await body(Client(emulator: emulator, transport: transport, baseURL: baseURL))
            }
        }
    }
}
