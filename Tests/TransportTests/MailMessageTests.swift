import Foundation
import Testing
import Transport

@Suite("Mail message rendering")
struct MailMessageTests {
    @Test("an ASCII message renders to the exact RFC 5322 bytes, CRLF everywhere")
    func exactRendering() throws {
        let message = MailMessage(
            from: .init("watcher@example.test", name: "Image Watcher"),
            to: [.init("ops@example.test", name: "Ops")],
            subject: "New tag for library/nginx: 1.27.1",
            body: "library/nginx has a newer tag 1.27.1 (current 1.27.0).\n.dot",
            date: Date(timeIntervalSince1970: 1_795_622_400),
            messageID: "abc123@example.test")
        let expected =
            "Date: Wed, 25 Nov 2026 16:00:00 +0000\r\n"
            + "From: Image Watcher <watcher@example.test>\r\n"
            + "To: Ops <ops@example.test>\r\n"
            + "Subject: New tag for library/nginx: 1.27.1\r\n"
            + "Message-ID: <abc123@example.test>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: quoted-printable\r\n"
            + "\r\n"
            + "library/nginx has a newer tag 1.27.1 (current 1.27.0).\r\n"
            + ".dot\r\n"
        #expect(String(decoding: try message.rendered(), as: UTF8.self) == expected)
    }

    @Test(
        "quoted-printable escapes '=', non-ASCII and trailing blanks, and keeps lines within 76 characters",
        arguments: [
            ("a=b", "a=3Db"),
            ("é", "=C3=A9"),
            ("trailing ", "trailing=20"),
            ("tab\tinside", "tab\tinside"),
            (String(repeating: "x", count: 80), String(repeating: "x", count: 75) + "=\r\n" + "xxxxx"),
        ])
    func quotedPrintable(input: String, encoded: String) throws {
        let message = MailMessage(
            from: .init("a@example.test"), to: [.init("b@example.test")], subject: "s", body: input,
            date: Date(timeIntervalSince1970: 0), messageID: "m@example.test")
        let text = String(decoding: try message.rendered(), as: UTF8.self)
        let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        #expect(body == encoded + "\r\n")
    }

    @Test("base64 bodies are wrapped at 76 characters and decode to the CRLF text")
    func base64Body() throws {
        let text = String(repeating: "Grüße aus dem Cluster. ", count: 10) + "\nzweite Zeile"
        let message = MailMessage(
            from: .init("a@example.test"), to: [.init("b@example.test")], subject: "s", body: text,
            bodyEncoding: .base64)
        let rendered = String(decoding: try message.rendered(), as: UTF8.self)
        #expect(rendered.contains("Content-Transfer-Encoding: base64\r\n"))
        let body = rendered.components(separatedBy: "\r\n\r\n")[1]
        let lines = body.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.allSatisfy { $0.count <= 76 })
        let decoded = Data(base64Encoded: lines.joined()).map { String(decoding: $0, as: UTF8.self) }
        #expect(decoded == text.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test("display names with specials are quoted, non-ASCII ones encoded")
    func displayNames() throws {
        let message = MailMessage(
            from: .init("a@example.test", name: "Watcher, Image"), to: [.init("b@example.test", name: "Zoë")],
            subject: "s", body: "b", date: Date(timeIntervalSince1970: 0), messageID: "m@example.test")
        let text = String(decoding: try message.rendered(), as: UTF8.self)
        #expect(text.contains("From: \"Watcher, Image\" <a@example.test>\r\n"))
        #expect(text.contains("To: =?UTF-8?B?Wm/Dqw==?= <b@example.test>\r\n"))
    }

    @Test(
        "header injection and bad addresses are refused",
        arguments: [
            MailMessage(
                from: .init("a@example.test"), to: [.init("b@example.test")], subject: "x", body: "",
                extraHeaders: [("X-Note", "a\r\nBcc: c@d")]),
            MailMessage(from: .init("a@example.test"), to: [.init("b@example.test>\r\nX")], subject: "x", body: ""),
            MailMessage(from: .init("not-an-address"), to: [.init("b@example.test")], subject: "x", body: ""),
            MailMessage(from: .init("a@example.test"), to: [], subject: "x", body: ""),
        ])
    func refusesBadInput(message: MailMessage) {
        #expect(throws: TransportError.self) { try message.rendered() }
    }

    @Test("a subject with a line break is encoded, so it cannot inject a header")
    func subjectInjection() throws {
        let message = MailMessage(
            from: .init("a@example.test"), to: [.init("b@example.test")], subject: "x\r\nBcc: c@example.test",
            body: "")
        let text = String(decoding: try message.rendered(), as: UTF8.self)
        #expect(!text.contains("\r\nBcc:"))
        #expect(text.contains("Subject: =?UTF-8?B?"))
    }

    @Test("a generated Message-ID uses the sender's domain")
    func generatedMessageID() throws {
        let message = MailMessage(from: .init("a@example.test"), to: [.init("b@example.test")], subject: "s", body: "")
        let text = String(decoding: try message.rendered(), as: UTF8.self)
        let line = text.components(separatedBy: "\r\n").first { $0.hasPrefix("Message-ID: <") }
        #expect(line?.hasSuffix("@example.test>") == true)
    }
}
