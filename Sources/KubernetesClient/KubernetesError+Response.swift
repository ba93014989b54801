package import Foundation
package import Transport

extension KubernetesError {
    /// Classifies a non-2xx response: decodes its `Status` body (a non-Status body becomes the message)
    /// and picks the case by `reason`, then by HTTP code.
    package init(status code: Int, headers: HTTPHeaders, body: Data) {
        var status =
            (try? JSONDecoder().decode(StatusBody.self, from: body))
            ?? StatusBody(
                message: String(decoding: body.prefix(1024), as: UTF8.self), code: code)
        if status.code == nil { status.code = code }
        if status.message?.isEmpty ?? true { status.message = "HTTP \(code)" }
        let retryAfter = Self.retryAfter(headers: headers, status: status)
        self = Self.classify(status, code: code, retryAfter: retryAfter)
    }

    /// Classifies a Status object that arrived inside a watch stream (an `ERROR` event).
    package init(watchStatus status: StatusBody) {
        self = Self.classify(status, code: status.code ?? 500, retryAfter: nil)
    }

    private static func classify(_ status: StatusBody, code: Int, retryAfter: Duration?) -> KubernetesError {
        switch status.reason {
        case "NotFound": return .notFound(status)
        case "AlreadyExists": return .alreadyExists(status)
        case "Conflict": return .conflict(status)
        case "Invalid": return .invalid(status, causes: status.details?.causes ?? [])
        case "Expired", "Gone": return .gone(status)
        case "Forbidden": return .forbidden(status)
        case "Unauthorized": return .unauthorized(status)
        case "TooManyRequests": return .tooManyRequests(status, retryAfter: retryAfter)
        default: break
        }
        switch code {
        case 401: return .unauthorized(status)
        case 403: return .forbidden(status)
        case 404: return .notFound(status)
        case 409: return .conflict(status)
        case 410: return .gone(status)
        case 422: return .invalid(status, causes: status.details?.causes ?? [])
        case 429: return .tooManyRequests(status, retryAfter: retryAfter)
        case 500...: return .server(status, retryAfter: retryAfter)
        default: return .badRequest(status)
        }
    }

    /// `Retry-After` in seconds (the API server never sends the HTTP-date form), else
    /// `details.retryAfterSeconds`.
    private static func retryAfter(headers: HTTPHeaders, status: StatusBody) -> Duration? {
        if let header = headers["Retry-After"]?.trimmingCharacters(in: .whitespaces), let seconds = Int(header),
            seconds >= 0
        {
            return .seconds(seconds)
        }
        return status.details?.retryAfterSeconds.map { .seconds(max(0, $0)) }
    }
}
