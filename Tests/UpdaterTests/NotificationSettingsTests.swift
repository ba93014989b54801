import Testing
import Transport
import Updater

@Suite("Notification settings from the original's environment variables")
struct NotificationSettingsTests {
    let email = [
        "EMAIL_HOST": "smtp.example.com", "EMAIL_PORT": "587", "EMAIL_SENDER": "watcher@example.com",
        "EMAIL_RECIPIENT": "ops@example.com, dev@example.com", "EMAIL_PASSWORD": "pw-123",
    ]

    @Test("nothing set: only the log channel")
    func empty() throws {
        let settings = try NotificationSettings(environment: ["PATH": "/bin"])
        #expect(settings == NotificationSettings())
    }

    @Test("a complete e-mail group: STARTTLS on 587, AUTH as the sender, several recipients")
    func emailGroup() throws {
        let settings = try #require(try NotificationSettings(environment: email).email)
        #expect(settings.security == .startTLS)
        #expect(settings.username == "watcher@example.com")
        #expect(settings.recipients == ["ops@example.com", "dev@example.com"])
        #expect(settings.password?.revealed == "pw-123")
    }

    @Test(
        "TLS mode follows the port unless EMAIL_TLS says otherwise",
        arguments: [
            ("465", nil, EmailSettings.Security.implicitTLS), ("25", nil, .startTLS), ("2525", "none", .plain),
            ("587", "IMPLICIT", .implicitTLS),
        ])
    func tlsMode(port: String, mode: String?, expected: EmailSettings.Security) throws {
        var env = email
        env["EMAIL_PORT"] = port
        env["EMAIL_PASSWORD"] = ""
        env["EMAIL_TLS"] = mode
        let settings = try #require(try NotificationSettings(environment: env).email)
        #expect(settings.security == expected)
        #expect(settings.password == nil)
    }

    @Test(
        "half-configured or malformed groups fail with one line naming the variable",
        arguments: [
            (["EMAIL_HOST": "smtp.example.com"], false, "EMAIL_PORT: required when EMAIL_HOST is set"),
            (["EMAIL_PORT": "25"], false, "EMAIL_HOST: required when EMAIL_PORT is set"),
            (["EMAIL_PORT": "70000"], true, "EMAIL_PORT: expected an integer from 1 to 65535"),
            (["EMAIL_RECIPIENT": "ops"], true, "EMAIL_RECIPIENT: expected an e-mail address"),
            (["EMAIL_SENDER": "a@b.c\r\nBcc: x@y.z"], true, "EMAIL_SENDER: expected an e-mail address"),
            (["EMAIL_TLS": "ssl"], true, "EMAIL_TLS: expected implicit, starttls or none"),
            (["EMAIL_TLS": "none"], true, "EMAIL_TLS: none would send EMAIL_PASSWORD in clear text"),
            (["TELEGRAM_TOKEN": "123:abc"], false, "TELEGRAM_CHAT_ID: required with TELEGRAM_TOKEN"),
            (["TELEGRAM_CHAT_ID": "42"], false, "TELEGRAM_TOKEN: required with TELEGRAM_CHAT_ID"),
            (["TELEGRAM_TOKEN": "nope", "TELEGRAM_CHAT_ID": "42"], false, "TELEGRAM_TOKEN: expected a bot token"),
            (
                ["TELEGRAM_TOKEN": "1:a", "TELEGRAM_CHAT_ID": "chat"], false,
                "TELEGRAM_CHAT_ID: expected a numeric chat id"
            ),
            (
                ["TELEGRAM_TOKEN": "1:a", "TELEGRAM_CHAT_ID": "1", "TELEGRAM_API_URL": "ftp://x"], false,
                "TELEGRAM_API_URL: expected an http:// or https:// URL"
            ),
            (["WEBHOOK_SECRET": "s"], false, "WEBHOOK_URL: required when WEBHOOK_SECRET is set"),
            (["WEBHOOK_URL": "hooks.example.com/x"], false, "WEBHOOK_URL: expected an http:// or https:// URL"),
        ])
    func invalid(overrides: [String: String], withEmailGroup: Bool, expected: String) {
        let env = withEmailGroup ? email.merging(overrides) { $1 } : overrides
        #expect {
            try NotificationSettings(environment: env)
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix(expected) && !text.contains("\n")
        }
    }

    @Test("Telegram and webhook groups, with a self-hosted Bot API base URL")
    func telegramAndWebhook() throws {
        let settings = try NotificationSettings(environment: [
            "TELEGRAM_TOKEN": "123456:ABC-def_g", "TELEGRAM_CHAT_ID": "-1001234567890",
            "TELEGRAM_API_URL": "http://127.0.0.1:8081/", "WEBHOOK_URL": "https://hooks.example.com/T/B/X",
            "WEBHOOK_SECRET": "whsec",
        ])
        #expect(settings.telegram?.apiURL == "http://127.0.0.1:8081")
        #expect(settings.telegram?.chatID == "-1001234567890")
        #expect(settings.webhook?.secret?.revealed == "whsec")
        #expect(
            try NotificationSettings(environment: ["TELEGRAM_TOKEN": "1:a", "TELEGRAM_CHAT_ID": "@my_channel"])
                .telegram?.chatID == "@my_channel")
    }

    @Test("errors and descriptions never contain a secret value")
    func secretsNotEchoed() {
        let secret = "https://hooks.slack.com/services/T000/B000/XXXXSECRET"
        #expect {
            try NotificationSettings(environment: ["WEBHOOK_URL": "hxxp" + secret.dropFirst(5)])
        } throws: { !"\($0)".contains("XXXXSECRET") }
        let settings = NotificationSettings(
            webhook: WebhookSettings(url: SecretValue(secret), secret: SecretValue("whsec")))
        #expect(!"\(settings)".contains("XXXXSECRET"))
        #expect(!String(reflecting: settings).contains("whsec"))
        #expect("\(SecretValue("pw"))" == "<redacted>")
    }
}

@Suite("Channels from settings")
struct NotificationSettingsChannelTests {
    @Test("the log channel is always there; each configured group adds its channel")
    func channels() throws {
        let transport = try CurlTransport()
        #expect(NotificationSettings().channels(transport: transport, logger: quietLogger).map(\.name) == ["log"])
        let settings = try NotificationSettings(environment: [
            "EMAIL_HOST": "smtp.example.com", "EMAIL_PORT": "465", "EMAIL_SENDER": "a@example.com",
            "EMAIL_RECIPIENT": "b@example.com", "TELEGRAM_TOKEN": "1:a", "TELEGRAM_CHAT_ID": "2",
            "WEBHOOK_URL": "https://hooks.example.com/x",
        ])
        #expect(
            settings.channels(transport: transport, logger: quietLogger).map(\.name)
                == ["log", "email", "telegram", "webhook"])
    }
}
