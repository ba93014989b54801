package import Logging
import ServiceLifecycle

/// A bounded hand-off between reconciles and the notification channels, drained by a ``Service``.
///
/// Reconciles call ``submit(_:for:)``, which never waits: updates are never delayed by a slow mail
/// server. When the queue is full the new batch is dropped and counted — safe, because nothing was
/// recorded for it, so the next check of the object produces the same findings again.
/// ``run()`` processes batches one at a time through the ``NotificationDispatcher``; on graceful
/// shutdown it finishes the batch in hand and stops.
package final class NotificationQueue: Service, Sendable {
    private struct Batch: Sendable {
        var owner: Finding.ObjectName
        var findings: [Finding]
    }

    /// Whether a batch was queued.
    package enum SubmitResult: Sendable, Hashable {
        case queued
        case dropped
    }

    private let dispatcher: NotificationDispatcher
    private let logger: Logger
    private let stream: AsyncStream<Batch>
    private let continuation: AsyncStream<Batch>.Continuation

    /// - Parameter capacity: batches waiting at most (default 1024).
    package init(dispatcher: NotificationDispatcher, capacity: Int = 1024, logger: Logger) {
        self.dispatcher = dispatcher
        self.logger = logger
        (stream, continuation) = AsyncStream.makeStream(of: Batch.self, bufferingPolicy: .bufferingOldest(capacity))
    }

    /// Queues the findings of one object without waiting.
    @discardableResult
    package func submit(_ findings: [Finding], for owner: Finding.ObjectName) -> SubmitResult {
        guard !findings.isEmpty else { return .queued }
        switch continuation.yield(Batch(owner: owner, findings: findings)) {
        case .enqueued: return .queued
        case .dropped, .terminated:
            logger.warning(
                "notification queue full; batch dropped, the next check retries", metadata: ["object": "\(owner)"])
            return .dropped
        @unknown default: return .dropped
        }
    }

    /// Drains the queue until cancelled or gracefully shut down.
    package func run() async throws {
        await withGracefulShutdownHandler {
            for await batch in stream {
                do throws(LedgerStoreError) {
                    _ = try await dispatcher.dispatch(batch.findings, for: batch.owner)
                } catch {
                    logger.warning(
                        "notifications not sent: dedup records unavailable",
                        metadata: ["object": "\(batch.owner)", "error": "\(error.message)"])
                }
                if Task.isCancelled || Task.isShuttingDownGracefully { break }
            }
        } onGracefulShutdown: { [continuation] in
            continuation.finish()
        }
    }
}
