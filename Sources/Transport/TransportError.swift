package import struct Foundation.Data

/// Why a transfer produced no (complete) HTTP response, or an unwanted status.
///
/// Every case answers ``isRetryable``: whether the same request may succeed if tried again later.
package enum TransportError: Error, Sendable, CustomStringConvertible {
    /// The request could not be built (bad URL, unsupported option). Never retryable.
    case invalidRequest(String)
    /// The host name did not resolve.
    case dns(host: String, message: String)
    /// Nothing listens there, or the connection was refused/reset before a response.
    case connectionFailed(host: String, message: String)
    /// A time limit was hit.
    case timeout(kind: TimeoutKind, message: String)
    /// The TLS handshake or certificate verification failed.
    case tls(message: String)
    /// The peer closed the connection or sent a malformed response mid-transfer.
    case brokenResponse(message: String)
    /// The server answered with a non-2xx status (thrown by ``HTTPResponse/checked()`` and by callers).
    case httpStatus(status: Int, headers: HTTPHeaders, body: Data)
    /// A mail server refused the message, a sender, a recipient or the credentials.
    case smtp(code: Int?, message: String)
    /// The calling task was cancelled and the transfer aborted.
    case cancelled
    /// Any other libcurl failure, with its numeric code and text.
    case curl(code: Int, message: String)

    package enum TimeoutKind: String, Sendable {
        case connect, total, lowSpeed
    }

    /// Whether trying the same request again later could succeed.
    package var isRetryable: Bool {
        switch self {
        case .invalidRequest, .tls, .cancelled: false
        case .dns, .connectionFailed, .timeout, .brokenResponse: true
        case .httpStatus(let status, _, _): status == 408 || status == 429 || status >= 500
        case .smtp(let code, _): code.map { (400..<500).contains($0) } ?? false
        case .curl: true
        }
    }

    package var description: String {
        switch self {
        case .invalidRequest(let message): "invalid request: \(message)"
        case .dns(let host, let message): "cannot resolve \(host): \(message)"
        case .connectionFailed(let host, let message): "cannot connect to \(host): \(message)"
        case .timeout(let kind, let message): "\(kind.rawValue) timeout: \(message)"
        case .tls(let message): "TLS error: \(message)"
        case .brokenResponse(let message): "broken response: \(message)"
        case .httpStatus(let status, _, let body):
            "HTTP \(status): \(String(decoding: body.prefix(512), as: UTF8.self))"
        case .smtp(let code, let message): "SMTP error\(code.map { " \($0)" } ?? ""): \(message)"
        case .cancelled: "cancelled"
        case .curl(let code, let message): "transfer failed (curl \(code)): \(message)"
        }
    }
}
