import Clocks
import Logging
import Testing
import Updater

@Suite("Notification fan-out: concurrency, timeouts, bounded retry")
struct NotificationFanOutTests {
    let notice: Notice
    let policy = DeliveryPolicy(
        attemptTimeout: .seconds(10), maxAttempts: 3, initialBackoff: .seconds(1), maxBackoff: .seconds(30),
        maxRetryAfter: .seconds(60))

    init() throws {
        notice = try Notice(NotificationFixtures.finding(.updated(to: "1.3.0")))
    }

    @Test("a hanging channel times out without holding back the others")
    func timeout() async {
        let clock = TestClock()
        let fanOut = NotificationFanOut(
            policy: DeliveryPolicy(attemptTimeout: .seconds(10), maxAttempts: 1), clock: clock, logger: quietLogger)
        let slow = RecordingChannel("telegram", script: [.hang])
        let fast = RecordingChannel("email", clock: clock)
        let notice = self.notice
        let outcomes = await drive(clock) { await fanOut.deliver(notice, to: [slow, fast]) }
        #expect(outcomes["email"] == .delivered(attempts: 1))
        // The fast channel is tried once, before the hanging one's 10 s timeout ends (the driver advances
        // the clock in steps while the tasks start, so the exact instant is not fixed).
        #expect(fast.attemptTimes.count == 1)
        #expect(fast.attemptTimes.allSatisfy { $0 < .seconds(10) })
        guard case .failed(let error, attempts: 1) = outcomes["telegram"] else {
            Issue.record("expected a timeout, got \(String(describing: outcomes["telegram"]))")
            return
        }
        #expect(error.kind == .timedOut(after: .seconds(10)))
    }

    @Test("retryable failures are retried after a doubling backoff on the clock")
    func backoff() async {
        let clock = TestClock()
        let fanOut = NotificationFanOut(policy: policy, clock: clock, logger: quietLogger)
        let channel = RecordingChannel(
            "webhook", script: [.fail(.serverError(status: 502)), .fail(.unreachable(retryable: true))], clock: clock)
        let notice = self.notice
        let outcomes = await drive(clock) { await fanOut.deliver(notice, to: [channel]) }
        #expect(outcomes["webhook"] == .delivered(attempts: 3))
        let times = channel.attemptTimes
        #expect(times.count == 3)
        if times.count == 3 {
            #expect(times[1] - times[0] >= .seconds(1))
            #expect(times[2] - times[1] >= .seconds(2))
        }
    }

    @Test("a peer's retry_after is honoured instead of the backoff")
    func retryAfter() async {
        let clock = TestClock()
        let fanOut = NotificationFanOut(policy: policy, clock: clock, logger: quietLogger)
        let channel = RecordingChannel(
            "telegram", script: [.fail(.rateLimited(retryAfter: .seconds(41)))], clock: clock)
        let notice = self.notice
        let outcomes = await drive(clock, step: .seconds(1)) { await fanOut.deliver(notice, to: [channel]) }
        #expect(outcomes["telegram"] == .delivered(attempts: 2))
        let times = channel.attemptTimes
        #expect(times.count == 2 && times[1] - times[0] >= .seconds(41))
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
        let notice = self.notice
        let outcome = await drive(clock) { await fanOut.deliver(notice, to: [channel]) }["webhook"]
        guard case .failed(let error, let made) = outcome else {
            Issue.record("expected a failure, got \(String(describing: outcome))")
            return
        }
        #expect(made == attempts)
        #expect(error.kind != .cancelled)
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
