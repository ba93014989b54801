import Foundation
import TestSupport
import Testing
import Transport
import Updater

/// Every channel runs with known secret values against peers that echo what they received; none of
/// the secrets may appear in any output: logs, errors, dedup records, or the visible parts of requests.
@Suite("Secrets never leave through a channel's outputs")
struct NotificationRedactionTests {
    static let telegramToken = "424242:REDACT-ME-telegram"
    static let hookPath = "/hooks/T0/B0/REDACT-ME-hook"
    static let webhookSecret = "REDACT-ME-whsec"
    static let smtpPassword = "REDACT-ME-smtp"
    static let secrets = [telegramToken, "REDACT-ME-telegram", "REDACT-ME-hook", webhookSecret, smtpPassword]

    static func leaks(_ text: String) -> [String] { secrets.filter { text.contains($0) } }

    @Test(
        "hostile replies, refused connections and refused credentials leak no secret",
        .requires(.pythonModule("aiosmtpd"), .executable("openssl")))
    func noLeaks() async throws {
        try SystemTool.require(.pythonModule("aiosmtpd"))
        let transport = try CurlTransport()
        let logs = CapturedLogs()
        let store = MemoryLedgerStore()
        // Peers that echo the request line and credentials back in their error bodies.
        let echoTelegram = HTTPResponse(
            status: 400,
            body: Data(
                #"{"ok":false,"error_code":400,"description":"Bad Request: POST /bot\#(Self.telegramToken)/sendMessage (key REDACT-ME-telegram)"}"#
                    .utf8))
        let echoHook = HTTPResponse(
            status: 500, body: Data("failed \(Self.hookPath) with signature key \(Self.webhookSecret)".utf8))
        try await TLSTestCertificates.withCertificates { certificates in
            try await SMTPTestServer.withServer(certificates: certificates) { smtp in
                try await FixtureHTTPServer.withServer(replies: [echoTelegram]) { telegramPeer in
                    try await FixtureHTTPServer.withServer(replies: [echoHook]) { hookPeer in
                        let email = EmailSettings(
                            host: "127.0.0.1", port: smtp.startTLSPort, sender: "watcher@example.test",
                            recipients: ["ops@example.test"], username: SMTPTestServer.username,
                            password: SecretValue(Self.smtpPassword), caFile: certificates.caCertificate)
                        let settings = NotificationSettings(
                            email: email,
                            telegram: TelegramSettings(
                                token: SecretValue(Self.telegramToken), chatID: "1", apiURL: telegramPeer.baseURL),
                            webhook: WebhookSettings(
                                url: SecretValue(hookPeer.baseURL + Self.hookPath),
                                secret: SecretValue(Self.webhookSecret)))
                        let closed = TelegramSettings(
                            token: SecretValue(Self.telegramToken), chatID: "2", apiURL: "http://127.0.0.1:1")
                        let mailer = SMTPMailer(
                            configuration: EmailChannel.smtpConfiguration(email), transport: transport)
                        let channels: [any NotificationChannel] = [
                            LogChannel(logger: logs.logger()),
                            EmailChannel(settings: email, sender: mailer),
                            TelegramChannel(settings: try #require(settings.telegram), transport: transport),
                            WebhookChannel(settings: try #require(settings.webhook), transport: transport),
                            ClosedTelegram(inner: TelegramChannel(settings: closed, transport: transport)),
                        ]
                        let fanOut = NotificationFanOut(
                            policy: DeliveryPolicy(maxAttempts: 1), clock: ContinuousClock(), logger: logs.logger())
                        let dispatcher = NotificationDispatcher(
                            channels: channels, fanOut: fanOut, store: store, logger: logs.logger())
                        let finding = NotificationFixtures.finding(.updated(to: "1.3.0"))
                        let report = try await dispatcher.dispatch([finding], for: NotificationFixtures.handler)

                        // Every channel but the log failed, each with an error we can read.
                        let outcomes = try #require(report.sent[finding.fingerprint])
                        #expect(outcomes.count == 5)
                        var outputs: [String] = []
                        for (name, outcome) in outcomes {
                            if case .failed(let error, _) = outcome {
                                outputs.append("\(error)")
                                outputs.append(String(reflecting: error))
                            } else {
                                #expect(name == "log")
                            }
                        }
                        #expect(outputs.count == 8)
                        outputs += logs.records.map(\.text)
                        outputs += store.records(of: NotificationFixtures.handler).map { String(reflecting: $0) }
                        outputs.append(String(reflecting: settings))
                        // Requests: everything visible except the parts that must carry the credential
                        // (the Bot API path, the webhook URL itself).
                        for request in telegramPeer.requests + hookPeer.requests {
                            outputs.append(String(decoding: request.body, as: UTF8.self))
                            outputs += request.headers.map { "\($0.name): \($0.value)" }
                        }
                        #expect(telegramPeer.requests.count == 1 && hookPeer.requests.count == 1)
                        let leaked = outputs.flatMap { Self.leaks($0) }
                        #expect(leaked.isEmpty, "leaked: \(leaked)")
                        #expect(outputs.contains { $0.contains("<redacted>") })
                    }
                }
            }
        }
        await transport.shutdown()
    }
}

/// A second Telegram channel (to a closed port) under its own name, so both run in one fan-out.
private struct ClosedTelegram: NotificationChannel {
    let inner: TelegramChannel
    var name: String { "telegram-closed" }

    func deliver(_ notice: Notice) async throws(NotificationError) {
        try await inner.deliver(notice)
    }
}
