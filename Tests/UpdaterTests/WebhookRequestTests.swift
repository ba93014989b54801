import Foundation
import Testing
import Transport
import Updater

@Suite("Webhook request")
struct WebhookRequestTests {
    let url = "http://127.0.0.1:9/hooks/T0/B0/XSECRETX"
    let fixedNow: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_795_622_460) }

    @Test("the body has a Slack-compatible text and the structured fields")
    func body() throws {
        let channel = WebhookChannel(
            settings: WebhookSettings(url: SecretValue(url)), transport: UnusedTransport(), now: fixedNow)
        let notice = try Notice(NotificationFixtures.finding(.updateAvailable(.beyondFrontier), image: "team/<app>&co"))
        let request = try channel.makeRequest(notice)
        #expect(request.method == .post)
        #expect(request.url == url)
        #expect(request.headers["Content-Type"] == "application/json")
        #expect(request.headers[WebhookChannel.signatureHeader] == nil)
        let json = try jsonObject(request.body)
        let text = try #require(json["text"] as? String)
        #expect(text.hasPrefix("*[No update!] - Image: team/&lt;app&gt;&amp;co - Deployment: nginx-deployment*\n"))
        #expect(json["reason"] as? String == "UpdateAvailable")
        #expect(json["image"] as? String == "team/<app>&co")
        #expect(json["currentTag"] as? String == "1.2.0")
        #expect(json["newestAllowed"] as? String == "1.3.0")
        #expect(json["newestOverall"] as? String == "2.0.0")
        #expect((json["deployment"] as? [String: String]) == ["namespace": "web", "name": "nginx-deployment"])
        #expect((json["handler"] as? [String: String]) == ["namespace": "web", "name": "nginx-checker"])
        #expect(json["fingerprint"] as? String == notice.fingerprint)
        #expect(json["observedAt"] as? String == "2026-11-25T16:00:00Z")
        #expect(json["error"] == nil)
    }

    @Test("with a secret, the signature is HMAC-SHA256 over timestamp.body and verifies")
    func signature() throws {
        let channel = WebhookChannel(
            settings: WebhookSettings(url: SecretValue(url), secret: SecretValue("whsec-k")),
            transport: UnusedTransport(),
            now: fixedNow)
        let request = try channel.makeRequest(try Notice(NotificationFixtures.finding(.updated(to: "1.3.0"))))
        let body = try #require(request.body)
        #expect(request.headers[WebhookChannel.timestampHeader] == "1795622460")
        let expected = try HMAC.sha256(key: Array("whsec-k".utf8), message: Array("1795622460.".utf8) + Array(body)).hex
        #expect(request.headers[WebhookChannel.signatureHeader] == "sha256=" + expected)
        #expect(!request.headers.contains { $0.value.contains("whsec-k") })
    }
}
