/// A setting that cannot be used, in one line naming the variable and the accepted form.
package struct NotificationConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    package var variable: String
    package var problem: String

    package init(_ variable: String, _ problem: String) {
        self.variable = variable
        self.problem = problem
    }

    package var description: String { "\(variable): \(problem)" }
}

extension NotificationSettings {
    /// Reads the original's variables (`EMAIL_HOST`, `EMAIL_PORT`, `EMAIL_SENDER`, `EMAIL_RECIPIENT`,
    /// `EMAIL_PASSWORD`, `TELEGRAM_TOKEN`, `TELEGRAM_CHAT_ID`) and the new ones (`EMAIL_USERNAME`,
    /// `EMAIL_TLS`, `EMAIL_CA_FILE`, `TELEGRAM_API_URL`, `WEBHOOK_URL`, `WEBHOOK_SECRET`).
    ///
    /// A group is enabled when any of its variables is set; then its required variables must be set
    /// too. Empty values count as unset, except `EMAIL_PASSWORD=` (no AUTH, as in the original).
    ///
    /// - Throws: ``NotificationConfigurationError`` for the first unusable variable. Secret values are
    ///   never quoted back.
    package init(environment: [String: String]) throws(NotificationConfigurationError) {
        let env = environment.filter { !$0.value.isEmpty || $0.key == "EMAIL_PASSWORD" }
        self.init(
            email: try Self.email(env), telegram: try Self.telegram(env), webhook: try Self.webhook(env))
    }

    private static func email(_ env: [String: String]) throws(NotificationConfigurationError) -> EmailSettings? {
        let names = [
            "EMAIL_HOST", "EMAIL_PORT", "EMAIL_SENDER", "EMAIL_RECIPIENT", "EMAIL_USERNAME", "EMAIL_TLS",
            "EMAIL_CA_FILE",
        ]
        let trigger =
            names.first { env[$0] != nil } ?? (env["EMAIL_PASSWORD"]?.isEmpty == false ? "EMAIL_PASSWORD" : nil)
        guard let trigger else { return nil }
        func required(_ name: String, _ form: String) throws(NotificationConfigurationError) -> String {
            guard let value = env[name] else { throw .init(name, "required when \(trigger) is set (\(form))") }
            return value
        }
        let host = try required("EMAIL_HOST", "a host name or IP address, e.g. smtp.example.com")
        guard host.allSatisfy({ $0.isLetter || $0.isNumber || ".-:[]".contains($0) }) else {
            throw .init(
                "EMAIL_HOST", "expected a host name or IP address, e.g. smtp.example.com (got \(host.debugDescription))"
            )
        }
        let portText = try required("EMAIL_PORT", "an integer from 1 to 65535, e.g. 587")
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw .init(
                "EMAIL_PORT", "expected an integer from 1 to 65535, e.g. 587 (got \(portText.debugDescription))")
        }
        let sender = try address("EMAIL_SENDER", try required("EMAIL_SENDER", "an e-mail address"))
        let recipientText = try required("EMAIL_RECIPIENT", "one or more e-mail addresses, comma-separated")
        var recipients: [String] = []
        for part in recipientText.split(separator: ",") {
            recipients.append(try address("EMAIL_RECIPIENT", part.trimmingWhitespace()))
        }
        guard !recipients.isEmpty else {
            throw .init("EMAIL_RECIPIENT", "expected one or more e-mail addresses, comma-separated")
        }
        var security: EmailSettings.Security?
        if let text = env["EMAIL_TLS"] {
            guard let value = EmailSettings.Security(rawValue: text.lowercased()) else {
                throw .init("EMAIL_TLS", "expected implicit, starttls or none (got \(text.debugDescription))")
            }
            security = value
        }
        let password = env["EMAIL_PASSWORD"].flatMap { $0.isEmpty ? nil : SecretValue($0) }
        if security == .plain, password != nil {
            throw .init("EMAIL_TLS", "none would send EMAIL_PASSWORD in clear text; use starttls or implicit")
        }
        return EmailSettings(
            host: host, port: port, sender: sender, recipients: recipients,
            username: env["EMAIL_USERNAME"], password: password, security: security, caFile: env["EMAIL_CA_FILE"])
    }

    private static func telegram(_ env: [String: String]) throws(NotificationConfigurationError) -> TelegramSettings? {
        let token = env["TELEGRAM_TOKEN"]
        let chat = env["TELEGRAM_CHAT_ID"]
        guard token != nil || chat != nil || env["TELEGRAM_API_URL"] != nil else { return nil }
        guard let token else {
            throw .init("TELEGRAM_TOKEN", "required with TELEGRAM_CHAT_ID (a bot token such as 123456:ABC-def)")
        }
        let parts = token.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, parts[0].allSatisfy(\.isASCIIDigit),
            parts[1].allSatisfy({ $0.isASCIIDigit || $0.isASCIILetter || $0 == "_" || $0 == "-" })
        else {
            throw .init("TELEGRAM_TOKEN", "expected a bot token of the form <digits>:<letters, digits, _ or ->")
        }
        guard let chat else {
            throw .init("TELEGRAM_CHAT_ID", "required with TELEGRAM_TOKEN (a numeric chat id or @channelname)")
        }
        let numeric = chat.first == "-" ? chat.dropFirst() : Substring(chat)
        let isNumeric = !numeric.isEmpty && numeric.allSatisfy(\.isASCIIDigit) && Int64(chat) != nil
        let isChannel =
            chat.first == "@" && chat.count > 1
            && chat.dropFirst().allSatisfy { $0.isASCIIDigit || $0.isASCIILetter || $0 == "_" }
        guard isNumeric || isChannel else {
            throw .init("TELEGRAM_CHAT_ID", "expected a numeric chat id or @channelname (got \(chat.debugDescription))")
        }
        let api = env["TELEGRAM_API_URL"] ?? TelegramSettings.defaultAPIURL
        guard isHTTPURL(api) else {
            throw .init("TELEGRAM_API_URL", "expected an http:// or https:// URL (got \(api.debugDescription))")
        }
        return TelegramSettings(token: SecretValue(token), chatID: chat, apiURL: api)
    }

    private static func webhook(_ env: [String: String]) throws(NotificationConfigurationError) -> WebhookSettings? {
        guard let url = env["WEBHOOK_URL"] else {
            if env["WEBHOOK_SECRET"] != nil { throw .init("WEBHOOK_URL", "required when WEBHOOK_SECRET is set") }
            return nil
        }
        guard isHTTPURL(url) else {
            // The URL itself may be a credential (Slack hooks): never quote it.
            throw .init("WEBHOOK_URL", "expected an http:// or https:// URL")
        }
        return WebhookSettings(url: SecretValue(url), secret: env["WEBHOOK_SECRET"].map(SecretValue.init))
    }

    private static func address(_ variable: String, _ text: String) throws(NotificationConfigurationError) -> String {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        let forbidden: Set<Character> = ["<", ">", ",", " ", "\r", "\n", "\t", "\"", "(", ")", ";"]
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasSuffix("."),
            !text.contains(where: { forbidden.contains($0) })
        else {
            throw .init(variable, "expected an e-mail address such as ops@example.com (got \(text.debugDescription))")
        }
        return text
    }

    private static func isHTTPURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        for scheme in ["http://", "https://"] where lower.hasPrefix(scheme) {
            let rest = lower.dropFirst(scheme.count)
            return !rest.isEmpty && !rest.hasPrefix("/") && !text.contains(where: \.isWhitespace)
        }
        return false
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
    fileprivate var isASCIILetter: Bool { isASCII && isLetter }
}

extension StringProtocol {
    fileprivate func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
