import Foundation

/// Which notification channels are configured, and how. The log channel is always on.
package struct NotificationSettings: Sendable, Hashable {
    package var email: EmailSettings?
    package var telegram: TelegramSettings?
    package var webhook: WebhookSettings?

    package init(email: EmailSettings? = nil, telegram: TelegramSettings? = nil, webhook: WebhookSettings? = nil) {
        self.email = email
        self.telegram = telegram
        self.webhook = webhook
    }

    /// Every secret of the configuration, and the parts of them a peer might echo alone, for a ``Redactor``.
    package var secrets: [SecretValue] {
        [email?.password].compactMap(\.self) + (telegram?.secretParts ?? []) + (webhook?.secretParts ?? [])
    }
}

/// SMTP delivery: `EMAIL_*` variables.
package struct EmailSettings: Sendable, Hashable {
    /// How the connection is protected.
    package enum Security: String, Sendable, Hashable, CaseIterable {
        /// TLS from the first byte (`smtps://`, port 465).
        case implicitTLS = "implicit"
        /// Plain connect, then `STARTTLS`, which must succeed (submission, port 587).
        case startTLS = "starttls"
        /// No TLS at all: only for a local relay, and only when asked for explicitly.
        case plain = "none"
    }

    package var host: String
    package var port: Int
    /// `From` and envelope sender.
    package var sender: String
    /// `To` and envelope recipients.
    package var recipients: [String]
    /// The AUTH user (default: the sender, as the original did).
    package var username: String
    /// The AUTH password; nil means no AUTH (the original's empty `EMAIL_PASSWORD`).
    package var password: SecretValue?
    package var security: Security
    /// A PEM file of CAs to trust instead of the system store (a private relay).
    package var caFile: String?

    package init(
        host: String, port: Int, sender: String, recipients: [String], username: String? = nil,
        password: SecretValue? = nil, security: Security? = nil, caFile: String? = nil
    ) {
        self.host = host
        self.port = port
        self.sender = sender
        self.recipients = recipients
        self.username = username ?? sender
        self.password = password
        self.security = security ?? (port == 465 ? .implicitTLS : .startTLS)
        self.caFile = caFile
    }
}

/// Telegram Bot API delivery: `TELEGRAM_*` variables.
package struct TelegramSettings: Sendable, Hashable {
    /// The public Bot API; a self-hosted `telegram-bot-api` server is set with `TELEGRAM_API_URL`.
    package static let defaultAPIURL = "https://api.telegram.org"

    package var token: SecretValue
    /// A numeric chat id (`-100…` for channels and supergroups) or `@channelusername`.
    package var chatID: String
    /// Base URL without a trailing slash.
    package var apiURL: String

    package init(token: SecretValue, chatID: String, apiURL: String = TelegramSettings.defaultAPIURL) {
        self.token = token
        self.chatID = chatID
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
    }

    /// The token, and its part after the bot id (the actual credential, which a peer may echo alone).
    package var secretParts: [SecretValue] {
        let key = token.revealed.split(separator: ":", maxSplits: 1).dropFirst().first.map(String.init)
        return [token] + [key].compactMap { $0 }.map(SecretValue.init)
    }
}

/// Webhook delivery: `WEBHOOK_URL` (itself a credential for Slack-style hooks) and `WEBHOOK_SECRET`.
package struct WebhookSettings: Sendable, Hashable {
    package var url: SecretValue
    /// When set, requests carry an HMAC-SHA256 signature (see ``WebhookChannel``).
    package var secret: SecretValue?

    package init(url: SecretValue, secret: SecretValue? = nil) {
        self.url = url
        self.secret = secret
    }

    /// The signing secret, plus the parts of the URL that may be credentials on their own, since a
    /// peer may echo only its path: the whole URL, its path and query, and every path segment or query
    /// value of 12 or more characters (Slack's `T…/B…/<token>`, Teams' `sig=`).
    package var secretParts: [SecretValue] {
        let text = url.revealed
        var parts = [text]
        if let scheme = text.range(of: "://"), let slash = text[scheme.upperBound...].firstIndex(of: "/") {
            let pathAndQuery = String(text[slash...])
            parts.append(pathAndQuery)
            let pieces = pathAndQuery.split(whereSeparator: { "/?&=".contains($0) })
            parts += pieces.filter { $0.count >= 12 }.map(String.init)
        }
        return parts.filter { $0.count > 1 }.map(SecretValue.init) + [secret].compactMap { $0 }
    }
}
