import Foundation
import TestSupport
import Testing
import Transport
import Updater

/// E-mail through Transport's SMTP mailer against real aiosmtpd servers started by the tests.
@Suite("E-mail channel against aiosmtpd")
struct EmailChannelTests {
    static func notice() throws -> Notice {
        try Notice(NotificationFixtures.finding(.updateAvailable(.beyondFrontier)))
    }

    static func settings(
        port: Int, security: EmailSettings.Security?, password: String? = SMTPTestServer.password, caFile: String?
    ) -> EmailSettings {
        EmailSettings(
            host: "127.0.0.1", port: port, sender: "watcher@example.test",
            recipients: ["ops@example.test", "dev@example.test"], username: SMTPTestServer.username,
            password: password.map(SecretValue.init), security: security, caFile: caFile)
    }

    static func channel(_ settings: EmailSettings, _ transport: CurlTransport) -> EmailChannel {
        let configuration = EmailChannel.smtpConfiguration(
            settings, timeouts: HTTPTimeouts(connect: .seconds(5), total: .seconds(20)))
        return EmailChannel(settings: settings, sender: SMTPMailer(configuration: configuration, transport: transport))
    }

    /// Checks the delivered message: envelope, headers, body lines.
    static func checkDelivered(_ received: [SMTPTestServer.ReceivedMail]) throws {
        #expect(received.count == 1)
        let mail = try #require(received.first)
        #expect(mail.mailFrom == "watcher@example.test")
        #expect(mail.recipients == ["ops@example.test", "dev@example.test"])
        let text = String(decoding: mail.data, as: UTF8.self)
        #expect(text.contains("\r\nSubject: [No update!] - Image: nginx - Deployment: nginx-deployment\r\n"))
        #expect(text.contains("From: k8supdater <watcher@example.test>\r\n"))
        #expect(text.contains("\r\nTo: ops@example.test, dev@example.test\r\n"))
        #expect(text.contains("\r\nAuto-Submitted: auto-generated\r\n"))
        #expect(text.contains("\r\n\r\n- Image: nginx\r\n- Container: web\r\n"))
        #expect(text.contains("- Latest overall version: 2.0.0\r\n"))
        #expect(!text.contains(SMTPTestServer.password))
    }

    @Test(
        "STARTTLS with AUTH and implicit TLS deliver the notice",
        .requires(.pythonModule("aiosmtpd"), .executable("openssl")),
        arguments: [EmailSettings.Security.startTLS, .implicitTLS])
    func tlsDelivery(security: EmailSettings.Security) async throws {
        try SystemTool.require(.pythonModule("aiosmtpd"))
        let transport = try CurlTransport()
        try await TLSTestCertificates.withCertificates { certificates in
            try await SMTPTestServer.withServer(certificates: certificates) { server in
                let port = security == .implicitTLS ? server.implicitTLSPort : server.startTLSPort
                let settings = Self.settings(port: port, security: security, caFile: certificates.caCertificate)
                try await Self.channel(settings, transport).deliver(try Self.notice())
                try Self.checkDelivered(server.receivedMessages())
            }
        }
        await transport.shutdown()
    }

    @Test("a plain local relay works only when EMAIL_TLS=none allows it", .requires(.pythonModule("aiosmtpd")))
    func plainRelay() async throws {
        try SystemTool.require(.pythonModule("aiosmtpd"))
        let transport = try CurlTransport()
        try await SMTPPlainRelay.withRelay { relay in
            let required = Self.settings(port: relay.port, security: nil, password: nil, caFile: nil)
            #expect(required.security == .startTLS)
            let error = try await #require(throws: NotificationError.self) {
                try await Self.channel(required, transport).deliver(try Self.notice())
            }
            #expect(!error.isRetryable)
            #expect(relay.receivedMessages().isEmpty)

            let plain = Self.settings(port: relay.port, security: .plain, password: nil, caFile: nil)
            try await Self.channel(plain, transport).deliver(try Self.notice())
            try Self.checkDelivered(relay.receivedMessages())
        }
        await transport.shutdown()
    }

    @Test(
        "wrong credentials fail promptly with the server's 535 and never the password",
        .requires(.pythonModule("aiosmtpd"), .executable("openssl")))
    func wrongCredentials() async throws {
        try SystemTool.require(.pythonModule("aiosmtpd"))
        let transport = try CurlTransport()
        let wrong = "wrong-PASSWORD-42"
        try await TLSTestCertificates.withCertificates { certificates in
            try await SMTPTestServer.withServer(certificates: certificates) { server in
                let settings = Self.settings(
                    port: server.startTLSPort, security: .startTLS, password: wrong, caFile: certificates.caCertificate)
                let error = try await #require(throws: NotificationError.self) {
                    try await Self.channel(settings, transport).deliver(try Self.notice())
                }
                #expect(error.kind == .rejected(status: 535))
                #expect(!error.isRetryable)
                #expect(!"\(error)".contains(wrong))
                #expect(server.receivedMessages().isEmpty)
            }
        }
        await transport.shutdown()
    }

    @Test("the SMTP configuration follows the settings: scheme, STARTTLS, AUTH only with a password")
    func configuration() {
        let implicit = EmailChannel.smtpConfiguration(
            EmailSettings(host: "smtp.example.com", port: 465, sender: "a@b.cd", recipients: ["c@d.ef"]))
        #expect(implicit.url == "smtps://smtp.example.com:465/k8supdater")
        #expect(implicit.username == nil && implicit.password == nil)
        let submission = EmailChannel.smtpConfiguration(
            EmailSettings(
                host: "smtp.example.com", port: 587, sender: "a@b.cd", recipients: ["c@d.ef"],
                password: SecretValue("pw")))
        #expect(submission.url == "smtp://smtp.example.com:587/k8supdater")
        #expect(!submission.allowPlaintext)
        #expect(submission.username == "a@b.cd" && submission.password == "pw")
        #expect(!"\(submission)".contains("pw"))
    }
}
