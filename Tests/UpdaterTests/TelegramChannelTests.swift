import Foundation
import TestSupport
import Testing
import Transport
import Updater

@Suite("Telegram channel against a local Bot API fixture")
struct TelegramChannelTests {
    static let token = "123456:ABC-def_ghi"
    static let ok = HTTPResponse(
        status: 200, headers: ["Content-Type": "application/json"],
        body: Data(#"{"ok":true,"result":{"message_id":7,"date":1795622400,"chat":{"id":-1001234}}}"#.utf8))

    func channel(_ server: FixtureHTTPServer, transport: CurlTransport) -> TelegramChannel {
        TelegramChannel(
            settings: TelegramSettings(
                token: SecretValue(Self.token), chatID: "-1001234", apiURL: server.baseURL + "/"),
            transport: transport)
    }

    @Test("sendMessage arrives exactly: path with token, JSON body, HTML text escaped")
    func exactRequest() async throws {
        let transport = try CurlTransport()
        let failure = Finding.CheckFailure(reason: "RegistryRejected", message: "tag <none> & more > less")
        let notice = try Notice(NotificationFixtures.finding(.checkFailed(failure), image: "a&b/<c>", allowed: nil))
        try await FixtureHTTPServer.withServer(replies: [Self.ok]) { server in
            try await channel(server, transport: transport).deliver(notice)
            let request = try #require(server.requests.first)
            #expect(server.requests.count == 1)
            #expect(request.method == "POST")
            #expect(request.target == "/bot\(Self.token)/sendMessage")
            #expect(request.headers["Content-Type"] == "application/json")
            let text =
                "<i>2026-11-25 16:00:00 UTC</i>\n<b>[Check failed!] - Image: a&amp;b/&lt;c&gt; - Deployment: "
                + "nginx-deployment</b>\n<pre>- Image: a&amp;b/&lt;c&gt;\n- Container: web\n"
                + "- Deployment: nginx-deployment with namespace web\n- Current version: 1.2.0\n"
                + "- Action made: Check failed (RegistryRejected): tag &lt;none&gt; &amp; more &gt; less</pre>"
            let expected = try JSONSerialization.data(
                withJSONObject: [
                    "chat_id": -1_001_234, "text": text, "parse_mode": "HTML",
                    "link_preview_options": ["is_disabled": true],
                ] as [String: Any], options: [.sortedKeys, .withoutEscapingSlashes])
            #expect(String(decoding: request.body, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        }
        await transport.shutdown()
    }

    @Test("429 carries retry_after, which the delivery policy honours")
    func rateLimited() async throws {
        let transport = try CurlTransport()
        let tooMany = HTTPResponse(
            status: 429, headers: ["Content-Type": "application/json", "Retry-After": "41"],
            body: Data(
                #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 41","parameters":{"retry_after":41}}"#
                    .utf8))
        try await FixtureHTTPServer.withServer(replies: [tooMany, Self.ok]) { server in
            let telegram = channel(server, transport: transport)
            let notice = try Notice(NotificationFixtures.finding(.updated(to: "1.3.0")))
            let error = try await #require(throws: NotificationError.self) { try await telegram.deliver(notice) }
            #expect(error.kind == .rateLimited(retryAfter: .seconds(41)))
            #expect(error.message.contains("Too Many Requests: retry after 41"))
            #expect(DeliveryPolicy.default.delay(after: 1, error: error) == .seconds(41))
            try await telegram.deliver(notice)
            #expect(server.requests.count == 2)
        }
        await transport.shutdown()
    }

    @Test("a 400 is reported with Telegram's description and is not retried")
    func badRequest() async throws {
        let transport = try CurlTransport()
        let bad = HTTPResponse(
            status: 400, headers: ["Content-Type": "application/json"],
            body: Data(#"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#.utf8))
        try await FixtureHTTPServer.withServer(replies: [bad]) { server in
            let error = try await #require(throws: NotificationError.self) {
                try await channel(server, transport: transport)
                    .deliver(try Notice(NotificationFixtures.finding(.updated(to: "1.3.0"))))
            }
            #expect(error.kind == .rejected(status: 400))
            #expect(error.description == "telegram: HTTP 400: Bad Request: chat not found")
            #expect(!error.isRetryable)
        }
        await transport.shutdown()
    }

    @Test("a 200 without ok:true is not taken for a delivery")
    func notOK() async throws {
        let transport = try CurlTransport()
        let odd = HTTPResponse(status: 200, body: Data("<html>proxy login</html>".utf8))
        try await FixtureHTTPServer.withServer(replies: [odd]) { server in
            let error = try await #require(throws: NotificationError.self) {
                try await channel(server, transport: transport)
                    .deliver(try Notice(NotificationFixtures.finding(.updated(to: "1.3.0"))))
            }
            #expect(error.isRetryable)
        }
        await transport.shutdown()
    }
}
