import Foundation
import TestSupport
import Testing
import Transport

/// SMTP through libcurl against a real aiosmtpd server started by the test.
@Suite("SMTP over CurlTransport")
struct SMTPTests {
    static func message(subject: String = "New tag for library/nginx: 1.27.1") -> MailMessage {
        MailMessage(
            from: .init("watcher@example.test", name: "Image Watcher"),
            to: [.init("ops@example.test", name: "Ops")],
            cc: [.init("audit@example.test")],
            subject: subject,
            body: "library/nginx has a newer tag 1.27.1 (current 1.27.0).\n.leading dot survives\n.\nlast line",
            date: Date(timeIntervalSince1970: 1_795_622_400),
            messageID: "abc123@example.test")
    }

    static func configuration(
        _ url: String, _ certificates: TLSTestCertificates, password: String = SMTPTestServer.password
    )
        -> SMTPConfiguration
    {
        SMTPConfiguration(
            url: url, username: SMTPTestServer.username, password: password,
            tls: TLSConfiguration(certificateAuthority: .file(certificates.caCertificate)))
    }

    @Test(
        "STARTTLS and implicit TLS deliver the message byte for byte, dot-stuffed lines intact",
        .requires(.pythonModule("aiosmtpd"), .executable("openssl")), arguments: [false, true])
    func delivery(implicitTLS: Bool) async throws {
        try SystemTool.require(.pythonModule("aiosmtpd"))
        let transport = try CurlTransport()
        try await TLSTestCertificates.withCertificates { certificates in
            try await SMTPTestServer.withServer(certificates: certificates) { server in
                let url = implicitTLS ? server.implicitTLSURL() : server.startTLSURL()
                let mailer = SMTPMailer(configuration: Self.configuration(url, certificates), transport: transport)
                let message = Self.message()
                try await mailer.send(message, envelope: nil)
                let received = server.receivedMessages()
                #expect(received.count == 1)
                let expected = try message.rendered()
                #expect(received.first?.data == expected)
                #expect(received.first?.mailFrom == "watcher@example.test")
                #expect(received.first?.recipients == ["ops@example.test", "audit@example.test"])
                let text = String(decoding: received.first?.data ?? Data(), as: UTF8.self)
                #expect(text.contains("\r\n.leading dot survives\r\n.\r\nlast line\r\n"))
                #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
            }
        }
        await transport.shutdown()
    }

    @Test(
        "a non-ASCII subject arrives as RFC 2047 encoded-words that decode to the original",
        .requires(.pythonModule("aiosmtpd"), .executable("openssl")))
    func encodedSubject() async throws {
        try SystemTool.require(.pythonModule("aiosmtpd"))
        let transport = try CurlTransport()
        let subject = "Mise à jour disponible : nginx 1.27.1 → déployée ✅ (über-lange Betreffzeile für den Test)"
        try await TLSTestCertificates.withCertificates { certificates in
            try await SMTPTestServer.withServer(certificates: certificates) { server in
                let mailer = SMTPMailer(
                    configuration: Self.configuration(server.startTLSURL(), certificates), transport: transport)
                try await mailer.send(Self.message(subject: subject), envelope: nil)
                let text = String(decoding: server.receivedMessages().first?.data ?? Data(), as: UTF8.self)
                let headerBlock = text.components(separatedBy: "\r\n\r\n").first ?? ""
                #expect(headerBlock.allSatisfy { $0.isASCII })
                let unfolded = headerBlock.replacingOccurrences(of: "\r\n ", with: " ")
                let subjectLine = unfolded.components(separatedBy: "\r\n").first { $0.hasPrefix("Subject: ") } ?? ""
                #expect(
                    MailTestDecoding.decodeEncodedWords(String(subjectLine.dropFirst("Subject: ".count))) == subject)
                #expect(headerBlock.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
            }
        }
        await transport.shutdown()
    }

    @Test(
        "a wrong password fails promptly with a clear, non-retryable SMTP error",
        .requires(.pythonModule("aiosmtpd"), .executable("openssl")))
    func wrongPassword() async throws {
        try SystemTool.require(.pythonModule("aiosmtpd"))
        let transport = try CurlTransport()
        try await TLSTestCertificates.withCertificates { certificates in
            try await SMTPTestServer.withServer(certificates: certificates) { server in
                let mailer = SMTPMailer(
                    configuration: Self.configuration(server.startTLSURL(), certificates, password: "wrong"),
                    transport: transport)
                await #expect {
                    try await mailer.send(Self.message(), envelope: nil)
                } throws: { error in
                    guard case .smtp(let code, let message) = error as? TransportError else { return false }
                    return code == 535 && message.contains("authentication failed") && !message.contains("wrong")
                        && (error as? TransportError)?.isRetryable == false
                }
                #expect(server.receivedMessages().isEmpty)
            }
        }
        await transport.shutdown()
    }

    @Test(
        "an SMTP server whose certificate is not trusted is refused with a TLS error",
        .requires(.pythonModule("aiosmtpd"), .executable("openssl")))
    func untrustedServer() async throws {
        try SystemTool.require(.pythonModule("aiosmtpd"))
        let transport = try CurlTransport()
        try await TLSTestCertificates.withCertificates { certificates in
            try await SMTPTestServer.withServer(certificates: certificates) { server in
                var configuration = Self.configuration(server.startTLSURL(), certificates)
                configuration.tls = .default
                await #expect {
                    try await transport.sendMail(
                        try Self.message().rendered(), envelope: Self.message().envelope, configuration: configuration)
                } throws: { error in
                    if case .tls = error as? TransportError { return true }
                    return false
                }
            }
        }
        await transport.shutdown()
    }
}

/// Decodes RFC 2047 `=?UTF-8?B?…?=` words (only what the tests need, to check the encoder independently).
enum MailTestDecoding {
    static func decodeEncodedWords(_ text: String) -> String {
        text.split(separator: " ").map { word -> String in
            guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?=") else { return String(word) }
            let payload = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            return Data(base64Encoded: String(payload)).map { String(decoding: $0, as: UTF8.self) } ?? "<bad>"
        }.joined()
    }
}
