import Clocks
import Logging
import Testing
import Updater

@Suite("Notification fan-out: concurrency, timeouts, bounded retry")
struct NotificationFanOutTests {
    let notice = Notice(NotificationFixtures.finding(.updated(to: "1.3.0")))
    let policy = DeliveryPolicy(
        attemptTimeout: .seconds(10), maxAttempts: 3, initialBackoff: .seconds(1), maxBackoff: .seconds(30),
        maxRetryAfter: .seconds(60))

    @Test("a hanging channel times out without holding back the others")
    func timeout() async {
        let clock = TestClock()
        let fanOut = NotificationFanOut(
            policy: DeliveryPolicy(attemptTimeout: .seconds(10), maxAttempts: 1), clock: clock,
            logger: quietLogger)
        let slow = RecordingChannel("telegram", script: [.hang])
        let fast = RecordingChannel("email")
        let task = Task { await fanOut.deliver(notice, to: [slow, fast]) }
        await clock.run()
        let outcomes = await task.value
        #expect(outcomes["email"] == .delivered(attempts: 1))
        guard case .failed(let error, attempts: 1) = outcomes["telegram"] else {
            Issue.record("expected a timeout, got \(String(describing: outcomes["telegram"]))")
            return
        }
        #expect(error.kind == .timedOut(after: .seconds(10)))
    }

    @Test("retryable failures are retried with doubling backoff on the clock")
    func backoff() async {
        let clock = TestClock()
        let fanOut = NotificationFanOut(policy: policy, clock: clock, logger: quietLogger)
        let channel = RecordingChannel(
            "webhook", script: [.fail(.serverError(status: 502)), .fail(.unreachable(retryable: true))])
        let task = Task { await fanOut.deliver(notice, to: [channel]) }
        await clock.advance(by: .milliseconds(999))
        #expect(channel.attempts == 1)
        await clock.advance(by: .milliseconds(1))
        await clock.advance(by: .milliseconds(1999))
        #expect(channel.attempts == 2)
        await clock.advance(by: .milliseconds(1))
        let outcomes = await task.value
        #expect(outcomes["webhook"] == .delivered(attempts: 3))
    }

    @Test("a peer's retry_after is honoured instead of the backoff")
    func retryAfter() async {
        let clock = TestClock()
        let fanOut = NotificationFanOut(policy: policy, clock: clock, logger: quietLogger)
        let channel = RecordingChannel("telegram", script: [.fail(.rateLimited(retryAfter: .seconds(41)))])
        let task = Task { await fanOut.deliver(notice, to: [channel]) }
        await clock.advance(by: .seconds(40))
        #expect(channel.attempts == 1)
        await clock.advance(by: .seconds(1))
        #expect(await task.value["telegram"] == .delivered(attempts: 2))
    }

    @Test(
        "no retry for refusals, exhausted attempts or a retry_after beyond the limit",
        arguments: [
            ([RecordingChannel.Behaviour.fail(.rejected(status: 400))], 1),
            ([.fail(.rateLimited(retryAfter: .seconds(3600)))], 1),
            (
                [.fail(.serverError(status: 500)), .fail(.serverError(status: 500)), .fail(.serverError(status: 500))],
                3
            ),
        ])
    func noRetry(script: [RecordingChannel.Behaviour], attempts: Int) async {
        let clock = TestClock()
        let fanOut = NotificationFanOut(policy: policy, clock: clock, logger: quietLogger)
        let channel = RecordingChannel("webhook", script: script)
        let task = Task { await fanOut.deliver(notice, to: [channel]) }
        await clock.run()
        let outcome = await task.value["webhook"]
        guard case .failed(_, let made) = outcome else {
            Issue.record("expected a failure, got \(String(describing: outcome))")
            return
        }
        #expect(made == attempts)
        #expect(channel.delivered.isEmpty)
    }

    @Test("backoff doubles and is capped")
    func backoffSchedule() {
        let error = NotificationError(channel: "x", kind: .serverError(status: 500), message: "")
        let policy = DeliveryPolicy(maxAttempts: 10, initialBackoff: .seconds(1), maxBackoff: .seconds(5))
        #expect((1...5).map { policy.delay(after: $0, error: error) } == [1, 2, 4, 5, 5].map { .seconds($0) })
        #expect(policy.delay(after: 10, error: error) == nil)
    }
}
