/// Why a registry lookup failed, with a message fit for an object's status condition.
///
/// Messages name the registry and repository but never credentials, tokens or Authorization
/// headers. ``isRetryable`` says whether the same lookup may succeed later; ``retryAfter`` says when,
/// if the registry (or our own budget) said so.
package enum RegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The registry does not know the repository (404 NAME_UNKNOWN, or no GitLab repository matches).
    case repositoryNotFound(repository: String, detail: String)
    /// The registry does not know the tag (404 MANIFEST_UNKNOWN).
    case tagNotFound(repository: String, tag: String)
    /// The registry wants credentials we do not have, or rejected the ones we sent.
    case unauthorized(registry: String, detail: String)
    /// The credentials are valid but lack access (403, or a token without the pull action).
    case forbidden(registry: String, detail: String)
    /// The registry (429) or our own budget for it refuses more requests until `retryAfter` has passed.
    case throttled(registry: String, retryAfter: Duration)
    /// The registry answered with an unexpected status (5xx, 4xx other than the above).
    case httpStatus(registry: String, status: Int, detail: String)
    /// The reply could not be understood (malformed JSON, missing digest, bad Link header).
    case malformedResponse(registry: String, detail: String)
    /// The reply exceeded the size cap.
    case responseTooLarge(registry: String, limit: Int)
    /// No HTTP response: DNS, connection, TLS or timeout. `retryable` comes from the transport.
    case transport(registry: String, detail: String, retryable: Bool)
    /// The configuration cannot work (e.g. GitLab settings missing, not a v2 registry).
    case misconfigured(String)

    /// Whether the same lookup may succeed if tried later.
    package var isRetryable: Bool {
        switch self {
        case .throttled: true
        case .httpStatus(_, let status, _): status == 408 || status == 429 || status >= 500
        case .transport(_, _, let retryable): retryable
        case .malformedResponse, .responseTooLarge: true
        case .repositoryNotFound, .tagNotFound, .unauthorized, .forbidden, .misconfigured: false
        }
    }

    /// The delay the registry or budget asked for, if any.
    package var retryAfter: Duration? {
        if case .throttled(_, let delay) = self { return delay }
        return nil
    }

    /// A one-line reason for `status.conditions[].reason` (CamelCase, as Kubernetes expects).
    package var reason: String {
        switch self {
        case .repositoryNotFound: "RepositoryNotFound"
        case .tagNotFound: "TagNotFound"
        case .unauthorized: "RegistryUnauthorized"
        case .forbidden: "RegistryForbidden"
        case .throttled: "RegistryThrottled"
        case .httpStatus: "RegistryError"
        case .malformedResponse: "RegistryMalformedResponse"
        case .responseTooLarge: "RegistryResponseTooLarge"
        case .transport: "RegistryUnreachable"
        case .misconfigured: "RegistryMisconfigured"
        }
    }

    package var description: String {
        switch self {
        case .repositoryNotFound(let repository, let detail):
            "repository \(repository) not found\(detail.isEmpty ? "" : ": \(detail)")"
        case .tagNotFound(let repository, let tag): "tag \(tag) not found in \(repository)"
        case .unauthorized(let registry, let detail): "not authorized by \(registry): \(detail)"
        case .forbidden(let registry, let detail): "access denied by \(registry): \(detail)"
        case .throttled(let registry, let retryAfter):
            "rate limit of \(registry) reached; retrying in \(Self.seconds(retryAfter)) s"
        case .httpStatus(let registry, let status, let detail):
            "\(registry) answered HTTP \(status)\(detail.isEmpty ? "" : ": \(detail)")"
        case .malformedResponse(let registry, let detail): "unreadable reply from \(registry): \(detail)"
        case .responseTooLarge(let registry, let limit): "reply from \(registry) exceeds \(limit) bytes"
        case .transport(let registry, let detail, _): "cannot reach \(registry): \(detail)"
        case .misconfigured(let detail): "registry misconfigured: \(detail)"
        }
    }

    private static func seconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds + (attoseconds > 0 ? 1 : 0)
    }
}
