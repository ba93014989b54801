/// A place notices are delivered to: the log, e-mail, Telegram, a webhook, Kubernetes Events.
///
/// Expected flow: the fan-out calls ``deliver(_:)`` once per attempt, under a timeout, and retries
/// only when the error says so (``NotificationError/isRetryable``), after
/// ``NotificationError/retryAfter`` when the peer asked for a delay.
///
/// - Important: Implementations return promptly when the calling task is cancelled, and never put a
///   secret into an error, a log record or anything else they emit (use ``Redactor``).
package protocol NotificationChannel: Sendable {
    /// Stable name recorded in the dedup ledger (`log`, `email`, `telegram`, `webhook`, `events`).
    var name: String { get }

    /// Delivers one notice.
    ///
    /// - Throws: ``NotificationError`` describing why, and whether another attempt may succeed.
    func deliver(_ notice: Notice) async throws(NotificationError)
}
