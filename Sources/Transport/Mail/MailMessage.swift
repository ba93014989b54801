package import Foundation

/// A plain-text e-mail, rendered as an RFC 5322 message ready for SMTP.
///
/// ``rendered()`` produces CRLF line endings everywhere (libcurl sends bytes as given and only
/// dot-stuffs), the headers `Date`, `From`, `To`, `Cc`, `Subject`, `Message-ID`, `MIME-Version`,
/// `Content-Type: text/plain; charset=utf-8` and `Content-Transfer-Encoding`, then the UTF-8 body
/// encoded as quoted-printable (default) or base64. Non-ASCII in the subject or display names becomes
/// RFC 2047 encoded-words; long header lines are folded.
package struct MailMessage: Sendable {
    /// A mailbox: an optional display name and an addr-spec.
    package struct Mailbox: Sendable, Hashable {
        package var name: String?
        package var address: String

        package init(_ address: String, name: String? = nil) {
            self.address = address
            self.name = name
        }
    }

    /// How the body is made 7-bit safe.
    package enum BodyEncoding: String, Sendable {
        case quotedPrintable = "quoted-printable"
        case base64
    }

    package var from: Mailbox
    package var to: [Mailbox]
    package var cc: [Mailbox]
    package var subject: String
    /// The text; any line ending (`\n`, `\r\n`, `\r`) becomes CRLF.
    package var body: String
    package var date: Date
    /// Without angle brackets; generated (`<uuid>@<sender's domain>`) when nil.
    package var messageID: String?
    package var bodyEncoding: BodyEncoding
    /// Additional header fields, in order (e.g. `Auto-Submitted: auto-generated`). ASCII values only.
    package var extraHeaders: [(name: String, value: String)]

    package init(
        from: Mailbox, to: [Mailbox], cc: [Mailbox] = [], subject: String, body: String, date: Date = Date(),
        messageID: String? = nil, bodyEncoding: BodyEncoding = .quotedPrintable,
        extraHeaders: [(name: String, value: String)] = []
    ) {
        self.from = from
        self.to = to
        self.cc = cc
        self.subject = subject
        self.body = body
        self.date = date
        self.messageID = messageID
        self.bodyEncoding = bodyEncoding
        self.extraHeaders = extraHeaders
    }

    /// `MAIL FROM` = the sender, `RCPT TO` = every `To` and `Cc` address.
    package var envelope: MailEnvelope {
        MailEnvelope(from: from.address, to: (to + cc).map(\.address))
    }

    /// The message bytes, CRLF line endings.
    ///
    /// - Throws: ``TransportError/invalidRequest(_:)`` for an invalid address, a header containing a
    ///   line break, a non-ASCII extra header, or a message without recipients.
    package func rendered() throws(TransportError) -> Data {
        try envelope.validate()
        var lines: [String] = []
        func header(_ name: String, _ value: String) throws(TransportError) {
            guard !value.containsLineBreakOrNUL else {
                throw .invalidRequest("mail header \(name) contains a line break")
            }
            lines.append(MailEncoding.fold("\(name): \(value)"))
        }
        try header("Date", MailEncoding.rfc5322Date(date))
        try header("From", MailEncoding.mailbox(from))
        try header("To", to.map(MailEncoding.mailbox).joined(separator: ", "))
        if !cc.isEmpty { try header("Cc", cc.map(MailEncoding.mailbox).joined(separator: ", ")) }
        try header("Subject", MailEncoding.encodedWordsIfNeeded(subject))
        try header("Message-ID", "<\(messageID ?? generatedMessageID)>")
        try header("MIME-Version", "1.0")
        try header("Content-Type", "text/plain; charset=utf-8")
        try header("Content-Transfer-Encoding", bodyEncoding.rawValue)
        for (name, value) in extraHeaders {
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && $0 != ":" && !$0.isWhitespace }) else {
                throw .invalidRequest("invalid mail header name \"\(name.prefix(60))\"")
            }
            guard value.allSatisfy(\.isASCII) else { throw .invalidRequest("mail header \(name) is not ASCII") }
            try header(name, value)
        }
        var encodedBody: String
        switch bodyEncoding {
        case .quotedPrintable: encodedBody = MailEncoding.quotedPrintable(body)
        case .base64: encodedBody = MailEncoding.base64Lines(Data(MailEncoding.crlf(body).utf8))
        }
        // Every line, the last one included, ends with CRLF.
        if !encodedBody.hasSuffix("\r\n") { encodedBody += "\r\n" }
        return Data((lines.joined(separator: "\r\n") + "\r\n\r\n" + encodedBody).utf8)
    }

    private var generatedMessageID: String {
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "localhost"
        return "\(UUID().uuidString.lowercased())@\(domain)"
    }
}
