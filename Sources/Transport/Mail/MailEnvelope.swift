/// The SMTP envelope: `MAIL FROM` and `RCPT TO`, which decide delivery (the message's own `From`/`To`
/// headers are only shown to readers).
package struct MailEnvelope: Sendable, Hashable {
    package var from: String
    package var recipients: [String]

    package init(from: String, to recipients: [String]) {
        self.from = from
        self.recipients = recipients
    }

    /// Checks that every address is a bare addr-spec (`local@domain`) without line breaks or brackets.
    ///
    /// - Throws: ``TransportError/invalidRequest(_:)`` naming the first bad address.
    package func validate() throws(TransportError) {
        guard !recipients.isEmpty else { throw .invalidRequest("a mail needs at least one recipient") }
        for address in [from] + recipients where !Self.isAddress(address) {
            throw .invalidRequest("invalid mail address \"\(address.prefix(100))\"")
        }
    }

    static func isAddress(_ address: String) -> Bool {
        guard let at = address.lastIndex(of: "@"), at != address.startIndex,
            address.index(after: at) != address.endIndex
        else { return false }
        return !address.containsLineBreakOrNUL
            && !address.contains { $0.isWhitespace || $0 == "<" || $0 == ">" || $0.asciiValue.map { $0 < 32 } == true }
    }
}
