package import Transport

import struct Foundation.Date

/// Sends each notice as a plain-text e-mail through a ``MailSender`` (``SMTPMailer`` in production).
///
/// Security follows ``EmailSettings/security`` (see ``smtpConfiguration(_:timeouts:)``): TLS from the
/// first byte on port 465 or with `EMAIL_TLS=implicit`; otherwise STARTTLS is required and a server
/// without it fails the delivery, unless `EMAIL_TLS=none` allows plain SMTP for a local relay. AUTH is
/// used when a password is set. Errors carry the server's refusal (e.g. `535` for wrong credentials),
/// never the password.
package struct EmailChannel: NotificationChannel {
    package let name = "email"

    private let settings: EmailSettings
    private let sender: any MailSender
    private let redactor: Redactor

    package init(settings: EmailSettings, sender: any MailSender) {
        self.settings = settings
        self.sender = sender
        self.redactor = Redactor([settings.password].compactMap(\.self))
    }

    package func deliver(_ notice: Notice) async throws(NotificationError) {
        do {
            try await sender.send(mail(for: notice), envelope: nil)
        } catch {
            throw NotificationError(channel: name, transport: error, redactor: redactor)
        }
    }

    /// The message for a notice: the subject and plain body, from `k8supdater <EMAIL_SENDER>` to every
    /// recipient, marked `Auto-Submitted: auto-generated`, with a Message-ID unique per finding.
    package func mail(for notice: Notice) -> MailMessage {
        let domain = settings.sender.split(separator: "@").last.map(String.init) ?? "localhost"
        let seconds = Int64(notice.finding.observedAt.timeIntervalSince1970)
        return MailMessage(
            from: MailMessage.Mailbox(settings.sender, name: "k8supdater"),
            to: settings.recipients.map { MailMessage.Mailbox($0) },
            subject: notice.message.subject,
            body: notice.message.plainBody + "\n",
            date: notice.finding.observedAt,
            messageID: "\(notice.fingerprint).\(seconds)@\(domain)",
            extraHeaders: [("Auto-Submitted", "auto-generated")])
    }

    /// Where and how to submit: `smtps://host:port/k8supdater` for implicit TLS, otherwise
    /// `smtp://host:port/k8supdater` with STARTTLS required unless the security is `plain`; the
    /// credentials only when a password is set; `EMAIL_CA_FILE` as the trusted CAs when given.
    package static func smtpConfiguration(_ settings: EmailSettings, timeouts: HTTPTimeouts = .default)
        -> SMTPConfiguration
    {
        let scheme = settings.security == .implicitTLS ? "smtps" : "smtp"
        let host = settings.host.contains(":") && !settings.host.hasPrefix("[") ? "[\(settings.host)]" : settings.host
        return SMTPConfiguration(
            url: "\(scheme)://\(host):\(settings.port)/k8supdater",
            username: settings.password == nil ? nil : settings.username,
            password: settings.password?.revealed,
            allowPlaintext: settings.security == .plain,
            tls: settings.caFile.map { TLSConfiguration(certificateAuthority: .file($0)) } ?? .default,
            timeouts: timeouts)
    }
}
