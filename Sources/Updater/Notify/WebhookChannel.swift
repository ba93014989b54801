package import Foundation
package import Transport

/// POSTs each notice as JSON to `WEBHOOK_URL`: a Slack-compatible `text` plus structured fields.
///
/// Body (keys sorted): `text` (mrkdwn: bold subject, then the body; `&`, `<`, `>` escaped), `reason`
/// (`Updated` | `Restarted` | `UpdateAvailable` | `CheckFailed`), `subject`, `handler` and
/// `deployment` (`{namespace, name}`), `container`, `image`, `currentTag`, `newestAllowed`,
/// `newestOverall`, `action`, `error` (`{reason, message}` for failures), `fingerprint`, `observedAt`.
///
/// With `WEBHOOK_SECRET`, two headers let the receiver authenticate the body and reject replays:
/// `X-K8supdater-Timestamp: <unix seconds>` and
/// `X-K8supdater-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`.
package struct WebhookChannel: NotificationChannel {
    package let name = "webhook"
    package static let timestampHeader = "X-K8supdater-Timestamp"
    package static let signatureHeader = "X-K8supdater-Signature"

    private let settings: WebhookSettings
    private let transport: any HTTPTransport
    private let redactor: Redactor
    private let timeouts: HTTPTimeouts
    private let now: @Sendable () -> Date

    /// - Parameter now: the wall clock for the signature timestamp.
    package init(
        settings: WebhookSettings, transport: any HTTPTransport, timeouts: HTTPTimeouts = .default,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.settings = settings
        self.transport = transport
        self.redactor = Redactor(settings.secretParts)
        self.timeouts = timeouts
        self.now = now
    }

    package func deliver(_ notice: Notice) async throws(NotificationError) {
        let request = try makeRequest(notice)
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            throw NotificationError(channel: name, transport: error, redactor: redactor)
        }
        guard !response.isSuccess else { return }
        throw NotificationError(
            channel: name, status: response.status, retryAfter: response.headers.retryAfterSeconds,
            detail: String(decoding: response.body.prefix(256), as: UTF8.self), redactor: redactor)
    }

    /// The exact request for a notice (signed when a secret is configured).
    package func makeRequest(_ notice: Notice) throws(NotificationError) -> HTTPRequest {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let body = try? encoder.encode(WebhookPayload(notice)) else {
            throw NotificationError(channel: name, kind: .invalid, message: "cannot encode the notice as JSON")
        }
        var headers: HTTPHeaders = ["Content-Type": "application/json", "User-Agent": BuildInfo.userAgent]
        if let secret = settings.secret {
            let timestamp = String(Int64(now().timeIntervalSince1970))
            headers[Self.timestampHeader] = timestamp
            do {
                headers[Self.signatureHeader] = try Self.signature(secret: secret, timestamp: timestamp, body: body)
            } catch {
                throw NotificationError(channel: name, kind: .invalid, message: "cannot sign the request: \(error)")
            }
        }
        return HTTPRequest(method: .post, url: settings.url.revealed, headers: headers, body: body, timeouts: timeouts)
    }

    /// `sha256=` and the hex HMAC-SHA256 of `"<timestamp>.<body>"` under the secret.
    ///
    /// - Throws: ``DigestError`` when libcrypto fails.
    package static func signature(secret: SecretValue, timestamp: String, body: Data) throws(DigestError) -> String {
        "sha256=" + (try HMAC.sha256(key: secret.revealed.utf8, message: Data((timestamp + ".").utf8) + body)).hex
    }
}

/// The JSON body of a webhook request.
private struct WebhookPayload: Encodable {
    struct Name: Encodable {
        var namespace: String
        var name: String
    }

    struct Failure: Encodable {
        var reason: String
        var message: String
    }

    var text: String
    var reason: String
    var subject: String
    var handler: Name
    var deployment: Name
    var container: String
    var image: String
    var currentTag: String
    var newestAllowed: String?
    var newestOverall: String?
    var action: String
    var error: Failure?
    var fingerprint: String
    var observedAt: String

    init(_ notice: Notice) {
        let finding = notice.finding
        let body = notice.message.plainBody
        text = "*\(HTMLText.escape(notice.message.subject))*\n\(HTMLText.escape(body))"
        reason = finding.outcome.eventReason
        subject = notice.message.subject
        handler = Name(namespace: finding.handler.namespace, name: finding.handler.name)
        deployment = Name(namespace: finding.deployment.namespace, name: finding.deployment.name)
        container = finding.container
        image = finding.image
        currentTag = finding.currentTag
        newestAllowed = finding.newestAllowed
        newestOverall = finding.newestOverall
        action = notice.message.lines.last?.value ?? ""
        if case .checkFailed(let failure) = finding.outcome {
            error = Failure(reason: failure.reason, message: failure.message)
        }
        fingerprint = notice.fingerprint
        observedAt = finding.observedAt.formatted(.iso8601)
    }
}
