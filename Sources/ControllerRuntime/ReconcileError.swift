/// Why a reconcile failed, and whether trying again can help (controller-runtime `TerminalError`).
///
/// A retryable error puts the key back after its exponential backoff (and the global retry rate
/// limit). A terminal one is logged and counted; the key waits for its next change or periodic slot.
package struct ReconcileError: Error, Sendable, CustomStringConvertible {
    /// Whether the runtime should retry the key with backoff.
    package var isRetryable: Bool
    /// One line for logs.
    package var message: String
    /// The error that caused it, if any.
    package var underlying: (any Error & Sendable)?

    package init(isRetryable: Bool, message: String, underlying: (any Error & Sendable)? = nil) {
        self.isRetryable = isRetryable
        self.message = message
        self.underlying = underlying
    }

    /// A transient failure: retry with backoff.
    package static func retryable(_ message: String, underlying: (any Error & Sendable)? = nil) -> ReconcileError {
        ReconcileError(isRetryable: true, message: message, underlying: underlying)
    }

    /// A failure that retrying cannot fix (invalid spec, forbidden): wait for a change.
    package static func terminal(_ message: String, underlying: (any Error & Sendable)? = nil) -> ReconcileError {
        ReconcileError(isRetryable: false, message: message, underlying: underlying)
    }

    package var description: String {
        let kind = isRetryable ? "retryable" : "terminal"
        guard let underlying else { return "\(kind): \(message)" }
        return "\(kind): \(message): \(underlying)"
    }
}
