import Foundation
import TestSupport
import Testing
import Transport
import Updater

@Suite("Webhook channel against a local fixture server")
struct WebhookChannelTests {
    let fixedNow: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_795_622_460) }

    @Test("the signed JSON POST arrives exactly and its signature verifies at the receiver")
    func exactSignedRequest() async throws {
        let transport = try CurlTransport()
        try await FixtureHTTPServer.withServer(replies: [HTTPResponse(status: 200, body: Data("ok".utf8))]) {
            server in
            let settings = WebhookSettings(
                url: SecretValue(server.baseURL + "/hooks/T0/B0/X"), secret: SecretValue("whsec-k"))
            let channel = WebhookChannel(settings: settings, transport: transport, now: fixedNow)
            let notice = try Notice(NotificationFixtures.finding(.updated(to: "1.3.0"), image: "<team>&app"))
            try await channel.deliver(notice)
            let request = try #require(server.requests.first)
            #expect(request.method == "POST")
            #expect(request.target == "/hooks/T0/B0/X")
            #expect(request.headers["Content-Type"] == "application/json")
            #expect(request.body == (try channel.makeRequest(notice).body))
            let timestamp = try #require(request.headers[WebhookChannel.timestampHeader])
            #expect(timestamp == "1795622460")
            let mac = try HMAC.sha256(
                key: Array("whsec-k".utf8), message: Array((timestamp + ".").utf8) + Array(request.body))
            #expect(request.headers[WebhookChannel.signatureHeader] == "sha256=" + mac.hex)
            let json = try jsonObject(request.body)
            #expect((json["text"] as? String)?.hasPrefix("*[Update!] - Image: &lt;team&gt;&amp;app - ") == true)
            #expect(json["image"] as? String == "<team>&app")
        }
        await transport.shutdown()
    }

    @Test(
        "error statuses are classified: 429 with Retry-After, 400 refused, 503 retryable",
        arguments: [
            (429, ["Retry-After": "7"], NotificationError.Kind.rateLimited(retryAfter: .seconds(7))),
            (400, [:], .rejected(status: 400)),
            (404, [:], .rejected(status: 404)),
            (503, [:], .serverError(status: 503)),
        ])
    func statuses(status: Int, headers: [String: String], kind: NotificationError.Kind) async throws {
        let transport = try CurlTransport()
        let reply = HTTPResponse(status: status, headers: HTTPHeaders(Array(headers)), body: Data("no_text".utf8))
        try await FixtureHTTPServer.withServer(replies: [reply]) { server in
            let channel = WebhookChannel(
                settings: WebhookSettings(url: SecretValue(server.baseURL + "/hook")), transport: transport)
            let error = try await #require(throws: NotificationError.self) {
                try await channel.deliver(try Notice(NotificationFixtures.finding(.updated(to: "1.3.0"))))
            }
            #expect(error.kind == kind)
            #expect(error.message == "HTTP \(status): no_text")
        }
        await transport.shutdown()
    }
}
