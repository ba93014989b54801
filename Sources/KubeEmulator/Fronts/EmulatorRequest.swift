package import Foundation
package import Transport

/// One HTTP request as the router sees it, whichever front received it.
package struct EmulatorRequest: Sendable {
    package var method: String
    /// The decoded path (`/apis/apps/v1/namespaces/default/deployments`).
    package var path: String
    /// Decoded query parameters; the first value wins for repeated names.
    package var query: [String: String]
    package var headers: HTTPHeaders
    package var body: Data

    /// Builds a request from a request target (`/path?query`, percent-encoded as on the wire).
    package init(method: String, target: String, headers: HTTPHeaders, body: Data) {
        self.method = method.uppercased()
        self.headers = headers
        self.body = body
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let rawPath = parts.first.map(String.init) ?? "/"
        path = rawPath.removingPercentEncoding ?? rawPath
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = Self.decode(kv[0])
                let value = kv.count > 1 ? Self.decode(kv[1]) : ""
                if query[key] == nil { query[key] = value }
            }
        }
        self.query = query
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// The bearer token of the `Authorization` header, if any.
    var bearerToken: String? {
        guard let value = headers["Authorization"], value.lowercased().hasPrefix("bearer ") else { return nil }
        return String(value.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }

    /// A boolean query parameter (`true`/`1`).
    func flag(_ name: String) -> Bool {
        guard let value = query[name]?.lowercased() else { return false }
        return value == "true" || value == "1"
    }
}

/// A response from the router: a whole body, a stream of watch lines, or nothing at all (a fault
/// that breaks the connection).
package struct EmulatorResponse: Sendable {
    package enum Body: Sendable {
        case data(Data)
        case stream(AsyncStream<Data>)
    }

    package var status: Int
    package var headers: HTTPHeaders
    package var body: Body
    /// The connection breaks without an answer (partition fault).
    package var dropsConnection = false

    package init(status: Int, headers: HTTPHeaders, body: Body) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static let jsonHeaders: HTTPHeaders = [
        "Content-Type": "application/json", "Cache-Control": "no-cache, private",
    ]

    static func json(_ status: Int, _ value: JSON, contentType: String = "application/json") -> EmulatorResponse {
        var headers = jsonHeaders
        headers["Content-Type"] = contentType
        return EmulatorResponse(status: status, headers: headers, body: .data(value.encoded()))
    }

    static func error(_ error: APIError) -> EmulatorResponse {
        var response = json(error.code, error.status)
        if let seconds = error.retryAfterSeconds { response.headers["Retry-After"] = String(seconds) }
        return response
    }

    static let dropped: EmulatorResponse = {
        var response = EmulatorResponse(status: 0, headers: [:], body: .data(Data()))
        response.dropsConnection = true
        return response
    }()
}
