/// Sends e-mail. The notifier depends on this port; ``SMTPMailer`` is the real implementation.
package protocol MailSender: Sendable {
    /// Submits `message` to the envelope's recipients (by default: every `To` and `Cc`).
    ///
    /// - Throws: ``TransportError``; ``TransportError/smtp(code:message:)`` when the server refuses.
    func send(_ message: MailMessage, envelope: MailEnvelope?) async throws(TransportError)
}

/// Submits mail to one SMTP server over a ``CurlTransport``'s loop.
package struct SMTPMailer: MailSender {
    package var configuration: SMTPConfiguration
    private let transport: CurlTransport

    package init(configuration: SMTPConfiguration, transport: CurlTransport) {
        self.configuration = configuration
        self.transport = transport
    }

    package func send(_ message: MailMessage, envelope: MailEnvelope? = nil) async throws(TransportError) {
        let data = try message.rendered()
        try await transport.sendMail(data, envelope: envelope ?? message.envelope, configuration: configuration)
    }
}
