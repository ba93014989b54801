import CCurl
import Testing

@testable import Transport

@Suite("libcurl error mapping and response head parsing")
struct CurlInternalsTests {
    static let host = CurlError.Context(host: "api.example.test")

    @Test(
        "curl result codes map to typed errors that say whether to retry",
        arguments: [
            (CURLE_COULDNT_RESOLVE_HOST, "dns", true),
            (CURLE_COULDNT_CONNECT, "connectionFailed", true),
            (CURLE_OPERATION_TIMEDOUT, "timeout", true),
            (CURLE_PEER_FAILED_VERIFICATION, "tls", false),
            (CURLE_SSL_CONNECT_ERROR, "tls", false),
            (CURLE_PARTIAL_FILE, "brokenResponse", true),
            (CURLE_GOT_NOTHING, "brokenResponse", true),
            (CURLE_URL_MALFORMAT, "invalidRequest", false),
            (CURLE_UNSUPPORTED_PROTOCOL, "invalidRequest", false),
            (CURLE_OUT_OF_MEMORY, "curl", true),
        ])
    func mapping(code: CURLcode, kind: String, retryable: Bool) {
        let error = CurlError.transportError(code, context: Self.host, observation: .init(message: "m"))
        #expect(Self.kind(of: error) == kind)
        #expect(error.isRetryable == retryable)
    }

    @Test(
        "a timeout says which limit was hit",
        arguments: [
            ("Connection timed out after 1001 milliseconds", false, TransportError.TimeoutKind.connect),
            ("Operation timed out after 1000 milliseconds with 0 bytes received", true, .total),
            ("Operation too slow. Less than 1 bytes/sec transferred the last 1 seconds", true, .lowSpeed),
            ("Operation timed out after 1000 milliseconds with 0 bytes received", false, .connect),
        ])
    func timeoutKinds(message: String, connected: Bool, kind: TransportError.TimeoutKind) {
        let observation = CurlError.Observation(message: message, connected: connected)
        #expect(CurlError.timeoutKind(observation) == kind)
    }

    @Test("SMTP refusals become smtp errors with the reply code")
    func smtpMapping() {
        let mail = CurlError.Context(host: "mail.example.test", isMail: true)
        let denied = CurlError.transportError(
            CURLE_LOGIN_DENIED, context: mail, observation: .init(message: "Login denied", responseCode: 535))
        guard case .smtp(535, _) = denied else {
            Issue.record("expected smtp 535, got \(denied)")
            return
        }
        #expect(!denied.isRetryable)
        let busy = CurlError.transportError(
            CURLE_SEND_ERROR, context: mail, observation: .init(message: "MAIL failed: 451", responseCode: 451))
        guard case .smtp(451, _) = busy else {
            Issue.record("expected smtp 451, got \(busy)")
            return
        }
        #expect(busy.isRetryable)
    }

    @Test("interim 1xx heads are skipped; the final head wins")
    func interimHeads() {
        var head = CurlResponseHead()
        for line in [
            "HTTP/1.1 100 Continue\r\n", "\r\n", "HTTP/1.1 103 Early Hints\r\n", "Link: </a>\r\n", "\r\n",
            "HTTP/1.1 200 OK\r\n", "Content-Type: text/plain\r\n", "X-Folded: a\r\n", "  b\r\n",
        ] {
            #expect(!head.isComplete)
            Self.feed(&head, line)
        }
        #expect(!head.isComplete)
        Self.feed(&head, "\r\n")
        #expect(head.isComplete)
        #expect(head.status == 200)
        #expect(head.headers["link"] == nil)
        #expect(head.headers["content-type"] == "text/plain")
        #expect(head.headers["x-folded"] == "a b")
    }

    @Test("an HTTP/2 status line is understood")
    func http2StatusLine() {
        var head = CurlResponseHead()
        Self.feed(&head, "HTTP/2 404\r\n")
        Self.feed(&head, "\r\n")
        #expect(head.isComplete && head.status == 404)
    }

    static func feed(_ head: inout CurlResponseHead, _ line: String) {
        Array(line.utf8).withUnsafeBytes { head.consume(line: $0) }
    }

    static func kind(of error: TransportError) -> String {
        switch error {
        case .invalidRequest: "invalidRequest"
        case .dns: "dns"
        case .connectionFailed: "connectionFailed"
        case .timeout: "timeout"
        case .tls: "tls"
        case .brokenResponse: "brokenResponse"
        case .httpStatus: "httpStatus"
        case .smtp: "smtp"
        case .cancelled: "cancelled"
        case .curl: "curl"
        }
    }
}
