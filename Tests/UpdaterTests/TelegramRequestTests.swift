import Foundation
import Testing
import Transport
import Updater

@Suite("Telegram sendMessage request")
struct TelegramRequestTests {
    let settings = TelegramSettings(
        token: SecretValue("123456:ABC-def"), chatID: "-1001234", apiURL: "http://127.0.0.1:8081")

    func channel() -> TelegramChannel {
        TelegramChannel(settings: settings, transport: UnusedTransport())
    }

    @Test("the request is a JSON POST to <base>/bot<token>/sendMessage with HTML parse mode")
    func exactRequest() throws {
        let notice = try Notice(NotificationFixtures.finding(.updated(to: "1.3.0")))
        let request = try channel().makeRequest(notice)
        #expect(request.method == .post)
        #expect(request.url == "http://127.0.0.1:8081/bot123456:ABC-def/sendMessage")
        #expect(request.headers["Content-Type"] == "application/json")
        let json = try jsonObject(request.body)
        #expect(json["chat_id"] as? Int == -1_001_234)
        #expect(json["parse_mode"] as? String == "HTML")
        #expect((json["link_preview_options"] as? [String: Any])?["is_disabled"] as? Bool == true)
        #expect(
            json["text"] as? String == """
                <i>2026-11-25 16:00:00 UTC</i>
                <b>[Update!] - Image: nginx - Deployment: nginx-deployment</b>
                <pre>- Image: nginx
                - Container: web
                - Deployment: nginx-deployment with namespace web
                - Previous version: 1.2.0
                - Latest updatable version: 1.3.0
                - Latest overall version: 2.0.0
                - Action made: Updated image to latest updatable version, 1.3.0</pre>
                """)
    }

    @Test("<, > and & in any value are escaped; a channel username is sent as a string")
    func escaping() throws {
        let failure = Finding.CheckFailure(reason: "RegistryRejected", message: "tag <none> & \"bad\" > 0")
        let notice = try Notice(NotificationFixtures.finding(.checkFailed(failure), image: "a&b/<c>"))
        let text = TelegramChannel.text(notice)
        #expect(text.contains("Image: a&amp;b/&lt;c&gt;"))
        #expect(text.contains("tag &lt;none&gt; &amp; \"bad\" &gt; 0"))
        #expect(!text.contains("<c>") && !text.contains("<none>"))
        let byName = TelegramChannel(
            settings: TelegramSettings(token: SecretValue("1:a"), chatID: "@ops_channel"), transport: UnusedTransport())
        let json = try jsonObject(try byName.makeRequest(notice).body)
        #expect(json["chat_id"] as? String == "@ops_channel")
        #expect(try byName.makeRequest(notice).url == "https://api.telegram.org/bot1:a/sendMessage")
    }

    @Test("a message longer than Telegram's limit is cut without splitting an entity")
    func truncation() throws {
        let failure = Finding.CheckFailure(reason: "X", message: String(repeating: "<&>", count: 3000))
        let text = TelegramChannel.text(try Notice(NotificationFixtures.finding(.checkFailed(failure))))
        #expect(text.count <= TelegramChannel.maxTextLength)
        #expect(text.hasSuffix("…</pre>"))
        let body = text[text.range(of: "<pre>")!.upperBound...]
        #expect(!body.dropLast("</pre>".count).contains("<"))
        #expect(!body.contains(/&(?!amp;|lt;|gt;)/))
    }
}

/// A transport for tests that only build requests; sending is a test bug.
struct UnusedTransport: HTTPTransport {
    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        throw .invalidRequest("this test does not send")
    }

    func stream(_ request: HTTPRequest) async throws(TransportError) -> HTTPStreamingResponse {
        throw .invalidRequest("this test does not send")
    }
}
