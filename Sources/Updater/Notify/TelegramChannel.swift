import Foundation
package import Transport

/// Sends notices with the Bot API's `sendMessage` (`<base>/bot<token>/sendMessage`), HTML parse mode.
///
/// Request: `POST`, JSON `{"chat_id", "text", "parse_mode": "HTML", "link_preview_options":
/// {"is_disabled": true}}`. The text is the original's layout — `<i>time</i>`, then the subject in bold
/// and the body in `<pre>` — with every value HTML-escaped, and cut to Telegram's 4096 characters.
/// Replies: `ok: true` delivered; 429 rate limited with `parameters.retry_after` (or `Retry-After`);
/// other errors carry Telegram's `description` (e.g. "Bad Request: chat not found"), never the token.
package struct TelegramChannel: NotificationChannel {
    package let name = "telegram"
    /// Telegram's limit on a message's text.
    package static let maxTextLength = 4096

    private let settings: TelegramSettings
    private let transport: any HTTPTransport
    private let redactor: Redactor
    private let timeouts: HTTPTimeouts

    package init(settings: TelegramSettings, transport: any HTTPTransport, timeouts: HTTPTimeouts = .default) {
        self.settings = settings
        self.transport = transport
        self.redactor = Redactor([settings.token])
        self.timeouts = timeouts
    }

    package func deliver(_ notice: Notice) async throws(NotificationError) {
        let request = try makeRequest(notice)
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            throw NotificationError(channel: name, transport: error, redactor: redactor)
        }
        let reply = try? JSONDecoder().decode(Reply.self, from: response.body)
        if response.isSuccess, reply?.ok == true { return }
        let retryAfter =
            reply?.parameters?.retryAfter.map { Duration.seconds($0) } ?? response.headers.retryAfterSeconds
        let detail = reply?.description ?? String(decoding: response.body.prefix(256), as: UTF8.self)
        if response.isSuccess {
            throw NotificationError(
                channel: name, kind: .serverError(status: response.status),
                message: redactor.scrub("unexpected reply: \(detail)"))
        }
        throw NotificationError(
            channel: name, status: response.status, retryAfter: retryAfter, detail: detail, redactor: redactor)
    }

    /// The exact `sendMessage` request for a notice.
    package func makeRequest(_ notice: Notice) throws(NotificationError) -> HTTPRequest {
        let chat: SendMessage.Chat = Int64(settings.chatID).map { .id($0) } ?? .username(settings.chatID)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let body = try? encoder.encode(SendMessage(chatID: chat, text: Self.text(notice))) else {
            throw NotificationError(channel: name, kind: .invalid, message: "cannot encode the message as JSON")
        }
        return HTTPRequest(
            method: .post, url: "\(settings.apiURL)/bot\(settings.token.revealed)/sendMessage",
            headers: ["Content-Type": "application/json", "User-Agent": BuildInfo.userAgent],
            body: body, timeouts: timeouts)
    }

    /// The HTML text: `<i>yyyy-MM-dd HH:mm:ss UTC</i>`, `<b>subject</b>`, `<pre>body</pre>`, escaped.
    package static func text(_ notice: Notice) -> String {
        let time = notice.finding.observedAt.formatted(
            .iso8601.year().month().day().dateSeparator(.dash).dateTimeSeparator(.space)
                .time(includingFractionalSeconds: false).timeSeparator(.colon))
        let head = "<i>\(time) UTC</i>\n<b>\(HTMLText.escape(notice.message.subject))</b>\n<pre>"
        let tail = "</pre>"
        var body = HTMLText.escape(notice.message.plainBody)
        let budget = maxTextLength - head.count - tail.count
        if body.count > budget {
            // Cut the plain text, then escape, so no entity is split.
            var plain = notice.message.plainBody
            while HTMLText.escape(plain).count > budget - 1 { plain.removeLast(max(1, plain.count / 16)) }
            body = HTMLText.escape(plain) + "…"
        }
        return head + body + tail
    }

    /// The `sendMessage` parameters we send.
    private struct SendMessage: Encodable {
        enum Chat: Encodable {
            case id(Int64)
            case username(String)

            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                switch self {
                case .id(let id): try container.encode(id)
                case .username(let name): try container.encode(name)
                }
            }
        }

        struct LinkPreviewOptions: Encodable {
            var isDisabled = true
            enum CodingKeys: String, CodingKey { case isDisabled = "is_disabled" }
        }

        var chatID: Chat
        var text: String
        var parseMode = "HTML"
        var linkPreviewOptions = LinkPreviewOptions()

        enum CodingKeys: String, CodingKey {
            case chatID = "chat_id"
            case text
            case parseMode = "parse_mode"
            case linkPreviewOptions = "link_preview_options"
        }
    }

    /// The parts of a Bot API reply we use.
    private struct Reply: Decodable {
        struct Parameters: Decodable {
            var retryAfter: Int?
            enum CodingKeys: String, CodingKey { case retryAfter = "retry_after" }
        }

        var ok: Bool
        var description: String?
        var parameters: Parameters?
    }
}
