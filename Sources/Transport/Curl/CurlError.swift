import CCurl

/// Maps libcurl's result codes (`CURLcode`, `CURLMcode`) to ``TransportError``.
///
/// The mapping is pure: it takes the code and what the transfer observed (error text, last response
/// code, whether the request got past connecting), so it is tested without sockets.
enum CurlError {
    /// What the caller asked for, to name the failure.
    struct Context: Sendable {
        /// The host of the URL (never the full URL: it may carry credentials or tokens).
        var host: String
        /// True for SMTP transfers, whose refusals become ``TransportError/smtp(code:message:)``.
        var isMail: Bool = false
    }

    /// What libcurl reported about the failed transfer.
    struct Observation: Sendable {
        /// The error buffer's text, or `curl_easy_strerror` when the buffer is empty.
        var message: String
        /// `CURLINFO_RESPONSE_CODE`: the last HTTP status or SMTP reply code, 0 when none.
        var responseCode: Int = 0
        /// Whether the connection (TCP and TLS) was established and the request started.
        var connected: Bool = false
    }

    /// The human-readable text libcurl has for a code.
    static func text(of code: CURLcode) -> String {
        guard let text = curl_easy_strerror(code) else { return "curl error \(code.rawValue)" }
        return String(cString: text)
    }

    /// The human-readable text libcurl has for a multi-interface code.
    static func text(of code: CURLMcode) -> String {
        guard let text = curl_multi_strerror(code) else { return "curl multi error \(code.rawValue)" }
        return String(cString: text)
    }

    /// The error for a failed transfer.
    ///
    /// - Parameters:
    ///   - code: the transfer's result; must not be `CURLE_OK`.
    ///   - context: the request's host and protocol.
    ///   - observation: what the handle reported.
    static func transportError(_ code: CURLcode, context: Context, observation: Observation) -> TransportError {
        let message = observation.message
        switch code {
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_NOT_BUILT_IN, CURLE_BAD_FUNCTION_ARGUMENT,
            CURLE_UNKNOWN_OPTION, CURLE_FAILED_INIT:
            return .invalidRequest(message)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .dns(host: context.host, message: message)
        case CURLE_COULDNT_CONNECT:
            return .connectionFailed(host: context.host, message: message)
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(kind: timeoutKind(observation), message: message)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED,
            CURLE_USE_SSL_FAILED, CURLE_SSL_CLIENTCERT:
            return .tls(message: message)
        case CURLE_LOGIN_DENIED where context.isMail:
            return .smtp(
                code: observation.responseCode == 0 ? nil : observation.responseCode,
                message: "authentication failed: the server rejected the username or password")
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_UPLOAD_FAILED:
            if context.isMail && observation.responseCode >= 400 {
                return .smtp(code: observation.responseCode, message: message)
            }
            if message.contains("SSL") || message.contains("alert") {
                // A TLS alert after the handshake (TLS 1.3 reports a rejected client certificate this way).
                return .tls(message: message)
            }
            return .brokenResponse(message: message)
        case CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_WEIRD_SERVER_REPLY,
            CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_BAD_CONTENT_ENCODING, CURLE_HTTP_RETURNED_ERROR:
            return .brokenResponse(message: message)
        case CURLE_ABORTED_BY_CALLBACK:
            return .cancelled
        default:
            return .curl(code: Int(code.rawValue), message: message)
        }
    }

    /// The error for a failed multi-interface call (the loop itself is in trouble, not one transfer).
    static func transportError(_ code: CURLMcode, operation: String) -> TransportError {
        .curl(code: Int(code.rawValue), message: "\(operation): \(text(of: code))")
    }

    /// Which limit a `CURLE_OPERATION_TIMEDOUT` hit. libcurl reports all three with the same code;
    /// its message and whether the request got past connecting tell them apart.
    static func timeoutKind(_ observation: Observation) -> TransportError.TimeoutKind {
        let message = observation.message
        if message.contains("too slow") { return .lowSpeed }
        if message.hasPrefix("Connection timed out") || message.hasPrefix("Resolving timed out") { return .connect }
        return observation.connected ? .total : .connect
    }
}
