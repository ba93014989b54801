import Foundation
import Testing
import Transport
import Updater

@Suite("Link, rate-limit and Retry-After headers")
struct RegistryHeaderParsingTests {
    @Test("the next link is found among several relations and resolved relative to the request URL")
    func relativeNextLink() throws {
        let link = LinkHeader.next([#"</v2/_catalog?last=library%2Fdemo&n=1>; rel="next", </x>; rel="prev""#])
        #expect(link == "/v2/_catalog?last=library%2Fdemo&n=1")
        let resolved = RelativeURL.resolve(try #require(link), against: "http://127.0.0.1:5000/v2/_catalog?n=1")
        #expect(resolved == "http://127.0.0.1:5000/v2/_catalog?last=library%2Fdemo&n=1")
    }

    @Test("a link to another host is refused so credentials never follow it")
    func foreignHostRefused() {
        #expect(RelativeURL.resolve("https://evil.example/v2/x", against: "https://ghcr.io/v2/a/tags/list") == nil)
        #expect(RelativeURL.resolve("ftp://ghcr.io/x", against: "https://ghcr.io/v2/a/tags/list") == nil)
    }

    @Test("no rel=next means the last page")
    func noNext() {
        #expect(LinkHeader.next([#"<https://gitlab.example/api/v4/x?page=1>; rel="first""#]) == nil)
        #expect(LinkHeader.next([]) == nil)
    }

    @Test("Docker Hub's ratelimit headers give limit, remaining and window")
    func dockerHubHeaders() throws {
        let signal = try #require(
            RateLimitSignal(headers: ["ratelimit-limit": "100;w=21600", "ratelimit-remaining": "20;w=21600"]))
        #expect(signal.limit == 100)
        #expect(signal.remaining == 20)
        #expect(signal.window == .seconds(21600))
        #expect(signal.retryAfter == nil)
    }

    @Test("the Hub API's X-RateLimit headers and X-Retry-After timestamp become delays from now")
    func hubAPIHeaders() throws {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let signal = try #require(
            RateLimitSignal(
                headers: [
                    "X-RateLimit-Limit": "180", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1700000030",
                    "X-Retry-After": "1700000012",
                ],
                now: now))
        #expect(signal.limit == 180)
        #expect(signal.remaining == 0)
        #expect(signal.resetAfter == .seconds(30))
        #expect(signal.retryAfter == .seconds(12))
    }

    @Test("Retry-After accepts delay-seconds and HTTP-dates")
    func retryAfterForms() throws {
        let now = Date(timeIntervalSince1970: 1_700_000_000)  // Tue, 14 Nov 2023 22:13:20 GMT
        #expect(RateLimitSignal(headers: ["Retry-After": "7"], now: now)?.retryAfter == .seconds(7))
        let dated = RateLimitSignal(headers: ["Retry-After": "Tue, 14 Nov 2023 22:13:50 GMT"], now: now)
        #expect(dated?.retryAfter == .seconds(30))
    }

    @Test("responses without rate-limit headers give no signal")
    func noSignal() {
        #expect(RateLimitSignal(headers: ["Content-Type": "application/json"]) == nil)
        #expect(RateLimitSignal(headers: ["Retry-After": "soon"]) == nil)
    }
}
