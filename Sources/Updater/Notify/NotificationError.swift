/// Why a channel did not deliver a notice. Messages are already free of secrets.
package struct NotificationError: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Kind: Sendable, Hashable {
        /// No answer: connection, DNS, TLS or a broken reply. Retryable unless TLS or a bad request.
        case unreachable(retryable: Bool)
        /// The peer asked to slow down; `retryAfter` is its requested delay when it gave one.
        case rateLimited(retryAfter: Duration?)
        /// The peer refused the notice (HTTP 4xx, SMTP 5xx, bad credentials). Not retryable.
        case rejected(status: Int?)
        /// The peer failed (HTTP 5xx, SMTP 4xx). Retryable.
        case serverError(status: Int?)
        /// The attempt exceeded the per-channel timeout. Retryable.
        case timedOut(after: Duration)
        /// The notice could not be expressed for this channel (e.g. an object name Kubernetes rejects).
        case invalid
        /// The calling task was cancelled (shutdown). Not retried now; the ledger re-sends later.
        case cancelled
    }

    /// The channel's ``NotificationChannel/name``.
    package var channel: String
    package var kind: Kind
    /// What happened, for the operator's logs (never contains a secret).
    package var message: String

    package init(channel: String, kind: Kind, message: String) {
        self.channel = channel
        self.kind = kind
        self.message = message
    }

    /// Whether another attempt may succeed.
    package var isRetryable: Bool {
        switch kind {
        case .unreachable(let retryable): retryable
        case .rateLimited, .serverError, .timedOut: true
        case .rejected, .invalid, .cancelled: false
        }
    }

    /// The delay the peer asked for before the next attempt, if any.
    package var retryAfter: Duration? {
        if case .rateLimited(let delay) = kind { return delay }
        return nil
    }

    package var description: String { "\(channel): \(message)" }
}
