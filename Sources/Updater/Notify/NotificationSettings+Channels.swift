package import Logging
package import Transport

extension NotificationSettings {
    /// The configured channels over Transport: the log (always), then e-mail, Telegram and webhook
    /// when their groups are set. Kubernetes Events are added by the operator, which owns the client.
    ///
    /// - Parameters:
    ///   - transport: carries HTTP and SMTP (one libcurl loop for all channels).
    ///   - timeouts: per request; the fan-out's per-attempt timeout applies on top.
    package func channels(
        transport: CurlTransport, logger: Logger,
        timeouts: HTTPTimeouts = HTTPTimeouts(connect: .seconds(10), total: .seconds(30))
    ) -> [any NotificationChannel] {
        var channels: [any NotificationChannel] = [LogChannel(logger: logger)]
        if let email {
            let mailer = SMTPMailer(
                configuration: EmailChannel.smtpConfiguration(email, timeouts: timeouts), transport: transport)
            channels.append(EmailChannel(settings: email, sender: mailer))
        }
        if let telegram {
            channels.append(TelegramChannel(settings: telegram, transport: transport, timeouts: timeouts))
        }
        if let webhook {
            channels.append(WebhookChannel(settings: webhook, transport: transport, timeouts: timeouts))
        }
        return channels
    }
}
