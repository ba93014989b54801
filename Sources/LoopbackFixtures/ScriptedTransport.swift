package import Foundation
import Synchronization
package import Transport

/// A transport that plays a script: each request must match the next expectation (method, path,
/// query, headers, body), and gets that expectation's reply — kube-rs's `ApiServerVerifier` for wire
/// tests.
///
/// A request that does not match, or arrives when the script is exhausted, is reported to `onMismatch`
/// and fails with ``TransportError/invalidRequest(_:)``. TestSupport's `ScriptedTransport(_:)` reports
/// mismatches as test failures (`Issue.record`), and its `verify()` fails on expectations never used.
package final class ScriptedTransport: HTTPTransport {
    /// What the next request must look like and what it gets.
    package struct Expectation: Sendable {
        package var method: HTTPMethod
        /// The path without the query string.
        package var path: String
        /// Every query parameter, decoded; order does not matter, the set must be equal.
        package var query: [String: String]
        /// Headers that must be present with these values (names case-insensitive).
        package var headers: [String: String]
        /// Headers that must be absent.
        package var absentHeaders: [String]
        /// The body, compared as JSON when both sides parse as JSON, else byte for byte; nil = no body.
        package var body: Data?
        package var reply: Reply

        package init(
            _ method: HTTPMethod, _ path: String, query: [String: String] = [:], headers: [String: String] = [:],
            absentHeaders: [String] = [], body: Data? = nil, reply: Reply
        ) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.absentHeaders = absentHeaders
            self.body = body
            self.reply = reply
        }
    }

    /// The answer to a matched request.
    package enum Reply: Sendable {
        /// A complete response.
        case response(status: Int, headers: HTTPHeaders, body: Data)
        /// A streaming response whose body delivers `chunks`, then ends (or fails with `failure`).
        case stream(status: Int, headers: HTTPHeaders, chunks: [Data], failure: TransportError?)
        /// No response at all.
        case failure(TransportError)

        /// 200 (or `status`) with a JSON body.
        package static func json(_ text: String, status: Int = 200, headers: HTTPHeaders = [:]) -> Reply {
            var headers = headers
            headers["Content-Type"] = "application/json"
            return .response(status: status, headers: headers, body: Data(text.utf8))
        }
    }

    private let script: Mutex<[Expectation]>
    private let log = Mutex<[HTTPRequest]>([])
    private let onMismatch: @Sendable (String) -> Void

    /// - Parameter onMismatch: told, in words, about each request that does not match the script.
    package init(_ expectations: [Expectation] = [], onMismatch: @escaping @Sendable (String) -> Void) {
        script = Mutex(expectations)
        self.onMismatch = onMismatch
    }

    /// Appends an expectation to the script.
    package func expect(_ expectation: Expectation) {
        script.withLock { $0.append(expectation) }
    }

    /// Every request received so far, in order.
    package var requests: [HTTPRequest] { log.withLock { $0 } }

    /// The expectations no request has used yet.
    package var unusedExpectations: [Expectation] { script.withLock { $0 } }

    package func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        switch try match(request) {
        case .response(let status, let headers, let body):
            return HTTPResponse(status: status, headers: headers, body: body)
        case .stream(let status, let headers, let chunks, let failure):
            var body = Data()
            for chunk in chunks { body.append(chunk) }
            if let failure { throw failure }
            return HTTPResponse(status: status, headers: headers, body: body)
        case .failure(let error):
            throw error
        }
    }

    package func stream(_ request: HTTPRequest) async throws(TransportError) -> HTTPStreamingResponse {
        switch try match(request) {
        case .response(let status, let headers, let body):
            return HTTPStreamingResponse(status: status, headers: headers, body: Self.body([body], failure: nil))
        case .stream(let status, let headers, let chunks, let failure):
            return HTTPStreamingResponse(status: status, headers: headers, body: Self.body(chunks, failure: failure))
        case .failure(let error):
            throw error
        }
    }

    private static func body(_ chunks: [Data], failure: TransportError?) -> AsyncThrowingStream<Data, any Error> {
        AsyncThrowingStream { continuation in
            for chunk in chunks { continuation.yield(chunk) }
            continuation.finish(throwing: failure)
        }
    }

    private func match(_ request: HTTPRequest) throws(TransportError) -> Reply {
        log.withLock { $0.append(request) }
        let next = script.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        guard let expectation = next else {
            onMismatch("unexpected request \(request.method) \(request.url): the script is exhausted")
            throw .invalidRequest("unexpected request")
        }
        let problems = Self.differences(request, expectation)
        guard problems.isEmpty else {
            let message = problems.joined(separator: "\n")
            onMismatch("request \(request.method) \(request.url) does not match the script:\n\(message)")
            throw .invalidRequest("request does not match the script")
        }
        return expectation.reply
    }

    /// Human-readable differences between a request and an expectation (empty when it matches).
    package static func differences(_ request: HTTPRequest, _ expected: Expectation) -> [String] {
        var problems: [String] = []
        if request.method != expected.method { problems.append("method \(request.method) ≠ \(expected.method)") }
        let (path, query) = split(request.url)
        if path != expected.path { problems.append("path \(path) ≠ \(expected.path)") }
        if query != expected.query { problems.append("query \(query) ≠ \(expected.query)") }
        for (name, value) in expected.headers where request.headers[name] != value {
            problems.append("header \(name): \(request.headers[name] ?? "absent") ≠ \(value)")
        }
        for name in expected.absentHeaders where request.headers.contains(name) {
            problems.append("header \(name) should be absent")
        }
        switch (request.body, expected.body) {
        case (nil, nil): break
        case (let actual?, let wanted?):
            if !sameJSON(actual, wanted) {
                problems.append(
                    "body \(String(decoding: actual, as: UTF8.self)) ≠ \(String(decoding: wanted, as: UTF8.self))")
            }
        case (let actual?, nil): problems.append("unexpected body \(String(decoding: actual, as: UTF8.self))")
        case (nil, _?): problems.append("missing body")
        }
        return problems
    }

    /// Splits an absolute URL into its path and decoded query parameters.
    package static func split(_ url: String) -> (path: String, query: [String: String]) {
        guard let components = URLComponents(string: url) else { return (url, [:]) }
        var query: [String: String] = [:]
        let raw = components.percentEncodedQuery ?? ""
        for pair in raw.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            let decode = { (text: String) in
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? text
            }
            query[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return (components.percentEncodedPath, query)
    }

    private static func sameJSON(_ lhs: Data, _ rhs: Data) -> Bool {
        guard let left = canonical(lhs), let right = canonical(rhs) else { return lhs == rhs }
        return left == right
    }

    private static func canonical(_ data: Data) -> Data? {
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return nil
        }
        return try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])
    }
}
