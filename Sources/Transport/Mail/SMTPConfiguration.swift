/// Where and how mail is submitted.
///
/// - `smtp://host:587[/ehlo-name]`: STARTTLS is **required** (the transfer fails rather than send
///   credentials or mail in clear) unless ``allowPlaintext`` is set, in which case STARTTLS is still
///   used when the server offers it.
/// - `smtps://host:465[/ehlo-name]`: TLS from the first byte.
///
/// The URL's path, when present, is the name sent in `EHLO`; without it libcurl sends the machine's
/// host name. The password never appears in ``description``.
package struct SMTPConfiguration: Sendable, Hashable, CustomStringConvertible {
    package var url: String
    package var username: String?
    package var password: String?
    /// Lets an `smtp://` server that offers no STARTTLS receive the message in clear. Off by default.
    package var allowPlaintext: Bool
    package var tls: TLSConfiguration
    package var timeouts: HTTPTimeouts

    package init(
        url: String,
        username: String? = nil,
        password: String? = nil,
        allowPlaintext: Bool = false,
        tls: TLSConfiguration = .default,
        timeouts: HTTPTimeouts = HTTPTimeouts(connect: .seconds(10), total: .seconds(30))
    ) {
        self.url = url
        self.username = username
        self.password = password
        self.allowPlaintext = allowPlaintext
        self.tls = tls
        self.timeouts = timeouts
    }

    /// Whether the URL asks for TLS from the first byte (`smtps://`).
    package var isImplicitTLS: Bool { url.lowercased().hasPrefix("smtps://") }

    /// Checks the URL scheme.
    ///
    /// - Throws: ``TransportError/invalidRequest(_:)`` unless the URL is `smtp://…` or `smtps://…`.
    package func validate() throws(TransportError) {
        let lower = url.lowercased()
        guard lower.hasPrefix("smtp://") || lower.hasPrefix("smtps://") else {
            throw .invalidRequest("an SMTP URL must start with smtp:// or smtps://")
        }
        if let username, username.containsLineBreakOrNUL {
            throw .invalidRequest("the SMTP username contains a line break")
        }
    }

    package var description: String {
        let auth = username.map { "user \($0), password \(password == nil ? "none" : "set")" } ?? "no auth"
        let security = isImplicitTLS ? "implicit TLS" : (allowPlaintext ? "STARTTLS if offered" : "STARTTLS required")
        return "SMTP \(CurlEasyHandle.host(of: url)) (\(security), \(auth))"
    }
}
