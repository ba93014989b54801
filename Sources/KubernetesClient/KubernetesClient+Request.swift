import Foundation
import Logging
import Transport

/// One API call before it is sent: method, path, query and an optional JSON body.
struct APICall {
    var method: HTTPMethod
    var path: String
    var query = QueryString()
    var body: Data?
    var contentType: String?
    /// Whether repeating it after an ambiguous failure is safe.
    var idempotent: Bool
}

extension KubernetesClient {
    /// Sends `call` and returns the 2xx response, applying credentials, rate limiting and retries.
    func perform(_ call: APICall) async throws(KubernetesError) -> HTTPResponse {
        var attempt = 0
        var refreshedAuth = false
        while true {
            attempt += 1
            let request = try await buildRequest(call, timeouts: configuration.timeouts)
            let response: HTTPResponse
            do {
                try await limiter()
                response = try await transport.send(request)
            } catch let error as TransportError {
                try await backOff(attempt: attempt, error: .transport(error), call: call)
                continue
            } catch {
                throw .transport(.cancelled)
            }
            if response.isSuccess { return response }
            let error = KubernetesError(status: response.status, headers: response.headers, body: response.body)
            if case .unauthorized = error, !refreshedAuth {
                refreshedAuth = true
                if await configuration.auth.invalidate() { continue }
            }
            try await backOff(attempt: attempt, error: error, call: call)
        }
    }

    /// Sleeps before the next attempt, or throws `error` when the policy says to give up.
    private func backOff(attempt: Int, error: KubernetesError, call: APICall) async throws(KubernetesError) {
        guard let delay = retryPolicy.delay(afterAttempt: attempt, error: error, idempotent: call.idempotent) else {
            throw error
        }
        logger.debug(
            "retrying request",
            metadata: [
                "method": "\(call.method)", "path": "\(call.path)", "attempt": "\(attempt)", "delay": "\(delay)",
                "error": "\(error)",
            ])
        do { try await sleep(delay) } catch { throw .transport(.cancelled) }
    }

    /// The transport request for `call`: URL, headers (Accept, Content-Type, User-Agent, credentials) and TLS.
    func buildRequest(_ call: APICall, timeouts: HTTPTimeouts) async throws(KubernetesError) -> HTTPRequest {
        let credentials = try await configuration.auth.credentials()
        var headers: HTTPHeaders = ["Accept": "application/json", "User-Agent": configuration.userAgent]
        if let contentType = call.contentType { headers["Content-Type"] = contentType }
        if let authorization = credentials.authorization { headers["Authorization"] = authorization }
        var tls = configuration.tls
        if let certificate = credentials.clientCertificate, let key = credentials.clientKey {
            tls.clientCertificate = certificate
            tls.clientKey = key
        }
        return HTTPRequest(
            method: call.method, url: configuration.server + call.path + call.query.encoded, headers: headers,
            body: call.body, timeouts: timeouts, tls: tls)
    }

    /// Decodes a response body as `T`.
    func decode<T: Decodable>(_: T.Type, from data: Data) throws(KubernetesError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw .decoding("\(T.self): \(Self.describe(error))")
        }
    }

    /// Encodes a request body.
    func encode<T: Encodable>(_ value: T) throws(KubernetesError) -> Data {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return try encoder.encode(value)
        } catch {
            throw .configuration("cannot encode \(T.self): \(error)")
        }
    }

    /// A decoding error as `path: problem`, without echoing the document (it may hold secrets).
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(type(of: error))" }
        switch error {
        case .keyNotFound(let key, let context):
            return KubeConfigLoader.fieldPath(context.codingPath + [key]) + ": missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return KubeConfigLoader.fieldPath(context.codingPath) + ": " + context.debugDescription
        @unknown default:
            return "undecodable"
        }
    }
}
