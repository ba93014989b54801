import Clocks
import Foundation
import KubernetesClient
import TestSupport
import Testing
import Transport

@Suite("Client-side flow control")
struct FlowControlTests {
    @Test("the token bucket admits a burst, then one request per 1/qps")
    func tokenBucket() {
        var bucket = TokenBucket(qps: 2, burst: 3)
        #expect((0..<3).map { _ in bucket.reserve(now: .zero) } == [.zero, .zero, .zero])
        #expect(bucket.reserve(now: .zero) == .milliseconds(500))
        #expect(bucket.reserve(now: .zero) == .seconds(1))
        let later = Duration.seconds(10)
        #expect(bucket.reserve(now: later) == .zero)
    }

    @Test(
        "retries: 429 always, 5xx only when idempotent, never beyond the budget",
        arguments: [
            (
                KubernetesError.tooManyRequests(StatusBody(), retryAfter: .seconds(4)), false, 1,
                Duration?.some(.seconds(4))
            ),
            (.tooManyRequests(StatusBody(), retryAfter: nil), false, 2, .some(.milliseconds(400))),
            (.server(StatusBody(), retryAfter: nil), true, 1, .some(.milliseconds(200))),
            (.server(StatusBody(), retryAfter: nil), false, 1, nil),
            (.conflict(StatusBody()), true, 1, nil),
            (.tooManyRequests(StatusBody(), retryAfter: .seconds(1)), true, 4, nil),
            (.tooManyRequests(StatusBody(), retryAfter: .seconds(60)), true, 1, .some(.seconds(10))),
        ])
    func retryPolicy(error: KubernetesError, idempotent: Bool, attempt: Int, expected: Duration?) {
        let policy = RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(200), maxDelay: .seconds(10))
        #expect(policy.delay(afterAttempt: attempt, error: error, idempotent: idempotent) == expected)
    }

    @Test("a throttled request waits the server's Retry-After on the injected clock, then succeeds")
    func honoursRetryAfter() async throws {
        let transport = ScriptedTransport([
            .init(
                .get, "/api/v1/namespaces/web/pods/p",
                reply: .json(
                    #"{"kind":"Status","reason":"TooManyRequests","code":429}"#, status: 429,
                    headers: ["Retry-After": "5"])),
            .init(.get, "/api/v1/namespaces/web/pods/p", reply: .json(#"{"metadata":{"name":"p"}}"#)),
        ])
        let clock = TestClock()
        let client = KubernetesClient(
            configuration: ClientConfiguration(server: Wire.server, namespace: "web"), transport: transport,
            clock: clock)
        let task = Task { try await client.get(Pod.self, name: "p") }
        await clock.waitForSleeper()
        await clock.advance(by: .seconds(4))
        #expect(transport.requests.count == 1)
        await clock.advance(by: .seconds(1))
        let pod = try await task.value
        #expect(pod.metadata.name == "p")
        #expect(transport.requests.count == 2)
        transport.verify()
    }

    @Test("the rate limiter holds the request past the burst until the clock advances")
    func rateLimited() async throws {
        let transport = ScriptedTransport(
            (0..<3).map { _ in .init(.get, "/api/v1/namespaces/web/pods/p", reply: .json(#"{"metadata":{"name":"p"}}"#))
            })
        let clock = TestClock()
        let client = KubernetesClient(
            configuration: ClientConfiguration(
                server: Wire.server, namespace: "web", flowControl: .init(qps: 1, burst: 2)),
            transport: transport, clock: clock)
        _ = try await client.get(Pod.self, name: "p")
        _ = try await client.get(Pod.self, name: "p")
        let third = Task { try await client.get(Pod.self, name: "p") }
        await clock.waitForSleeper()
        #expect(transport.requests.count == 2)
        await clock.advance(by: .seconds(1))
        _ = try await third.value
        #expect(transport.requests.count == 3)
    }

    @Test("backoff doubles to its cap, jitter only shortens, reset starts over")
    func backoff() {
        var plain = Backoff(initialDelay: .seconds(1), maxDelay: .seconds(5), jitter: 0)
        #expect((0..<5).map { _ in plain.next() } == [.seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5)])
        plain.reset()
        #expect(plain.next() == .seconds(1))
        var jittered = Backoff(initialDelay: .seconds(8), maxDelay: .seconds(8), jitter: 0.5, seed: 42)
        let delays = (0..<20).map { _ in jittered.next() }
        #expect(delays.allSatisfy { $0 >= .seconds(4) && $0 <= .seconds(8) })
        #expect(Set(delays).count > 1)
    }
}
