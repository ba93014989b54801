package import Transport

extension NotificationError {
    /// Maps a transport failure (no usable reply) to a channel error, scrubbing secrets from the text.
    package init(channel: String, transport error: TransportError, redactor: Redactor) {
        let message = redactor.scrub(error.description)
        switch error {
        case .cancelled:
            self.init(channel: channel, kind: .cancelled, message: message)
        case .timeout:
            self.init(channel: channel, kind: .unreachable(retryable: true), message: message)
        case .httpStatus(let status, _, _) where status == 429:
            self.init(channel: channel, kind: .rateLimited(retryAfter: nil), message: message)
        case .httpStatus(let status, _, _) where error.isRetryable:
            self.init(channel: channel, kind: .serverError(status: status), message: message)
        case .httpStatus(let status, _, _):
            self.init(channel: channel, kind: .rejected(status: status), message: message)
        case .smtp(let code, _) where error.isRetryable:
            self.init(channel: channel, kind: .serverError(status: code), message: message)
        case .smtp(let code, _):
            self.init(channel: channel, kind: .rejected(status: code), message: message)
        default:
            self.init(channel: channel, kind: .unreachable(retryable: error.isRetryable), message: message)
        }
    }

    /// Classifies an HTTP reply that is not a success: 429 → rate limited (with `Retry-After` seconds
    /// when present), 408/5xx → server error, other statuses → rejected.
    package init(channel: String, status: Int, retryAfter: Duration?, detail: String, redactor: Redactor) {
        let message = redactor.scrub("HTTP \(status): \(detail)")
        switch status {
        case 429: self.init(channel: channel, kind: .rateLimited(retryAfter: retryAfter), message: message)
        case 408, 500...: self.init(channel: channel, kind: .serverError(status: status), message: message)
        default: self.init(channel: channel, kind: .rejected(status: status), message: message)
        }
    }
}

extension HTTPHeaders {
    /// `Retry-After` given in seconds (the HTTP-date form is not used by the peers we talk to).
    package var retryAfterSeconds: Duration? {
        guard let value = self["Retry-After"], let seconds = Int(value.filter { !$0.isWhitespace }),
            seconds >= 0
        else { return nil }
        return .seconds(seconds)
    }
}
