import Logging
import TestSupport
import Testing
import Updater

@Suite("Notification queue")
struct NotificationQueueTests {
    @Test("submitting never waits, a full queue drops the batch, and run() drains what was queued")
    func boundedAndDrained() async throws {
        let logs = CapturedLogs()
        let channel = RecordingChannel("log")
        let fanOut = NotificationFanOut(clock: ContinuousClock(), logger: logs.logger())
        let dispatcher = NotificationDispatcher(
            channels: [channel], fanOut: fanOut, store: MemoryLedgerStore(), logger: logs.logger())
        let queue = NotificationQueue(dispatcher: dispatcher, capacity: 2, logger: logs.logger())
        let owner = NotificationFixtures.handler
        #expect(queue.submit([NotificationFixtures.finding(.updated(to: "1.3.0"))], for: owner) == .queued)
        #expect(queue.submit([NotificationFixtures.finding(.restarted, container: "b")], for: owner) == .queued)
        #expect(queue.submit([NotificationFixtures.finding(.restarted, container: "c")], for: owner) == .dropped)
        #expect(logs.records.contains { $0.level == .warning && $0.message.contains("queue full") })

        let running = Task { try await queue.run() }
        var received: [String] = []
        for await notice in channel.deliveries {
            received.append(notice.finding.container)
            if received.count == 2 { break }
        }
        running.cancel()
        try await running.value
        #expect(received == ["web", "b"])
    }
}
