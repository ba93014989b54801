package import Logging

/// Sends one notice to several channels at once, each under its own timeout and retry budget.
///
/// Guarantees: channels run concurrently and independently (a slow or failing channel delays no
/// other); every attempt is bounded by ``DeliveryPolicy/attemptTimeout``; retries are bounded by
/// ``DeliveryPolicy/maxAttempts`` and wait on the injected clock. ``deliver(_:to:)`` never throws:
/// it reports per channel what happened.
package struct NotificationFanOut: Sendable {
    /// What happened on one channel.
    package enum Outcome: Sendable, Hashable {
        case delivered(attempts: Int)
        case failed(NotificationError, attempts: Int)

        package var isDelivered: Bool {
            if case .delivered = self { return true }
            return false
        }
    }

    private let policy: DeliveryPolicy
    private let clock: any Clock<Duration>
    private let logger: Logger

    package init(policy: DeliveryPolicy = .default, clock: any Clock<Duration>, logger: Logger) {
        self.policy = policy
        self.clock = clock
        self.logger = logger
    }

    /// Delivers `notice` to every channel concurrently and returns each channel's outcome by name.
    package func deliver(_ notice: Notice, to channels: [any NotificationChannel]) async -> [String: Outcome] {
        await withTaskGroup(of: (String, Outcome).self) { group in
            for channel in channels {
                group.addTask { (channel.name, await deliverWithRetry(notice, to: channel)) }
            }
            var outcomes: [String: Outcome] = [:]
            for await (name, outcome) in group { outcomes[name] = outcome }
            return outcomes
        }
    }

    private func deliverWithRetry(_ notice: Notice, to channel: any NotificationChannel) async -> Outcome {
        var attempt = 1
        while true {
            do throws(NotificationError) {
                try await attemptOnce(notice, to: channel)
                return .delivered(attempts: attempt)
            } catch {
                guard !Task.isCancelled, let delay = policy.delay(after: attempt, error: error) else {
                    logger.warning(
                        "notification not delivered",
                        metadata: [
                            "channel": "\(channel.name)", "attempts": "\(attempt)", "error": "\(error.message)",
                            "fingerprint": "\(notice.fingerprint)",
                        ])
                    return .failed(error, attempts: attempt)
                }
                logger.debug(
                    "notification attempt failed, retrying",
                    metadata: ["channel": "\(channel.name)", "attempt": "\(attempt)", "error": "\(error.message)"])
                do {
                    try await clock.sleep(for: delay)
                } catch {
                    let cancelled = NotificationError(channel: channel.name, kind: .cancelled, message: "cancelled")
                    return .failed(cancelled, attempts: attempt)
                }
                attempt += 1
            }
        }
    }

    /// One attempt raced against the timeout; the loser is cancelled.
    private func attemptOnce(_ notice: Notice, to channel: any NotificationChannel) async throws(NotificationError) {
        let timeout = policy.attemptTimeout
        let clock = self.clock
        let result = await withTaskGroup(of: AttemptResult.self) { group in
            group.addTask {
                do throws(NotificationError) {
                    try await channel.deliver(notice)
                    return .delivered
                } catch {
                    return .failed(error)
                }
            }
            group.addTask {
                do {
                    try await clock.sleep(for: timeout)
                    return .timedOut
                } catch {
                    return .cancelled
                }
            }
            var first: AttemptResult = .cancelled
            for await result in group {
                first = result
                break
            }
            group.cancelAll()
            return first
        }
        switch result {
        case .delivered: return
        case .failed(let error): throw error
        case .timedOut:
            throw NotificationError(
                channel: channel.name, kind: .timedOut(after: timeout), message: "no answer within \(timeout)")
        case .cancelled:
            throw NotificationError(channel: channel.name, kind: .cancelled, message: "cancelled")
        }
    }

    /// Why a child of one attempt finished.
    private enum AttemptResult: Sendable {
        case delivered
        case failed(NotificationError)
        case timedOut
        case cancelled
    }
}
