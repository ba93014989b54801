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

    /// Every secret of the configuration, for a ``Redactor``.
    package var secrets: [Secret] {
        [email?.password, telegram?.token, webhook?.url, webhook?.secret].compactMap(\.self)
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
    package var password: Secret?
    package var security: Security
    /// A PEM file of CAs to trust instead of the system store (a private relay).
    package var caFile: String?

    package init(
        host: String, port: Int, sender: String, recipients: [String], username: String? = nil,
        password: Secret? = nil, security: Security? = nil, caFile: String? = nil
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

    package var token: Secret
    /// A numeric chat id (`-100…` for channels and supergroups) or `@channelusername`.
    package var chatID: String
    /// Base URL without a trailing slash.
    package var apiURL: String

    package init(token: Secret, chatID: String, apiURL: String = TelegramSettings.defaultAPIURL) {
        self.token = token
        self.chatID = chatID
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
    }
}

/// Webhook delivery: `WEBHOOK_URL` (itself a credential for Slack-style hooks) and `WEBHOOK_SECRET`.
package struct WebhookSettings: Sendable, Hashable {
    package var url: Secret
    /// When set, requests carry an HMAC-SHA256 signature (see ``WebhookChannel``).
    package var secret: Secret?

    package init(url: Secret, secret: Secret? = nil) {
        self.url = url
        self.secret = secret
    }
}
