package import Transport

/// Why a Kubernetes API call failed, classified from the `Status` body the API server sent (by
/// `reason`, falling back to the HTTP code).
///
/// Every case says whether trying again may help (``isRetryable``). Messages come from the server or
/// from this client and never contain credentials.
package enum KubernetesError: Error, Sendable, CustomStringConvertible {
    /// 404: the object (or the resource) does not exist.
    case notFound(StatusBody)
    /// 409 `Conflict`: a stale resourceVersion or a failed delete precondition; re-read and retry.
    case conflict(StatusBody)
    /// 409 `AlreadyExists`: create of a name that is taken.
    case alreadyExists(StatusBody)
    /// 422 `Invalid` (also a failed JSON patch `test`): the request can never succeed as is.
    case invalid(StatusBody, causes: [StatusBody.Cause])
    /// 410 `Expired`/`Gone`: a resourceVersion or continue token is too old; re-list.
    case gone(StatusBody)
    /// 403: RBAC denies the request.
    case forbidden(StatusBody)
    /// 401: the credentials were refused (after one refresh attempt).
    case unauthorized(StatusBody)
    /// 429: throttled; wait at least `retryAfter` (from Retry-After or `details.retryAfterSeconds`).
    case tooManyRequests(StatusBody, retryAfter: Duration?)
    /// 5xx (and 504 timeouts): the server failed; `retryAfter` when it said so.
    case server(StatusBody, retryAfter: Duration?)
    /// Any other 4xx (400 BadRequest, 405, 415 UnsupportedMediaType): a bug in the request.
    case badRequest(StatusBody)
    /// No HTTP response (connection, TLS, timeout, cancellation).
    case transport(TransportError)
    /// The response could not be decoded as the expected type.
    case decoding(String)
    /// The request could not be built or configured (bad name, missing credentials, exec plugin failure).
    case configuration(String)

    /// Whether the same request may succeed later (after re-reading, waiting or re-listing).
    package var isRetryable: Bool {
        switch self {
        case .conflict, .gone, .tooManyRequests, .server: true
        case .transport(let error): error.isRetryable
        case .notFound, .alreadyExists, .invalid, .forbidden, .unauthorized, .badRequest, .decoding,
            .configuration:
            false
        }
    }

    /// The Status body the server sent, when there was one.
    package var status: StatusBody? {
        switch self {
        case .notFound(let body), .conflict(let body), .alreadyExists(let body), .invalid(let body, _),
            .gone(let body), .forbidden(let body), .unauthorized(let body), .tooManyRequests(let body, _),
            .server(let body, _), .badRequest(let body):
            body
        case .transport, .decoding, .configuration: nil
        }
    }

    /// How long the server asked us to wait, if it did.
    package var retryAfter: Duration? {
        switch self {
        case .tooManyRequests(_, let delay), .server(_, let delay): delay
        default: nil
        }
    }

    package var description: String {
        switch self {
        case .transport(let error): return "transport: \(error)"
        case .decoding(let message): return "decoding: \(message)"
        case .configuration(let message): return "configuration: \(message)"
        default:
            let body = status
            let code = body?.code.map(String.init) ?? "?"
            return "\(body?.reason ?? "Error") (\(code)): \(body?.message ?? "no message")"
        }
    }
}
