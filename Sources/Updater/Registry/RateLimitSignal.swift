package import Foundation
package import Transport

/// What a response says about the registry's rate limit: Docker Hub's `ratelimit-*` headers
/// (`100;w=21600`), the Hub API's `X-RateLimit-*`, and `Retry-After` / `X-Retry-After`.
///
/// Absolute times (HTTP-dates, unix timestamps) are turned into delays against `now` — the wall clock,
/// since that is what the registry's clock means.
package struct RateLimitSignal: Sendable, Hashable {
    /// Requests allowed per window.
    package var limit: Int?
    /// Requests left in the current window.
    package var remaining: Int?
    /// The window length (`w=` of Docker Hub's headers).
    package var window: Duration?
    /// How long until the window resets (`X-RateLimit-Reset`).
    package var resetAfter: Duration?
    /// How long the registry asks us to wait (`Retry-After`, `X-Retry-After`).
    package var retryAfter: Duration?

    package init(
        limit: Int? = nil,
        remaining: Int? = nil,
        window: Duration? = nil,
        resetAfter: Duration? = nil,
        retryAfter: Duration? = nil
    ) {
        self.limit = limit
        self.remaining = remaining
        self.window = window
        self.resetAfter = resetAfter
        self.retryAfter = retryAfter
    }

    /// Nil when the headers say nothing about rate limits.
    package init?(headers: HTTPHeaders, now: Date = Date()) {
        let limitField = headers["ratelimit-limit"].map(Self.quota) ?? headers["x-ratelimit-limit"].map(Self.quota)
        let remainingField =
            headers["ratelimit-remaining"].map(Self.quota) ?? headers["x-ratelimit-remaining"].map(Self.quota)
        limit = limitField?.count
        remaining = remainingField?.count
        window = remainingField?.window ?? limitField?.window
        resetAfter = headers["x-ratelimit-reset"].flatMap { Self.untilUnixTime($0, now: now) }
        retryAfter =
            headers["retry-after"].flatMap { Self.retryAfter($0, now: now) }
            ?? headers["x-retry-after"].flatMap { Self.untilUnixTime($0, now: now) }
        if limit == nil, remaining == nil, resetAfter == nil, retryAfter == nil { return nil }
    }

    /// `100;w=21600` → (100, 6 h); `179` → (179, nil).
    private static func quota(_ value: String) -> (count: Int?, window: Duration?) {
        let parts = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        let count = parts.first.flatMap { Int($0) }
        let window = parts.dropFirst().first { $0.hasPrefix("w=") }.flatMap { Int($0.dropFirst(2)) }
        return (count, window.map { .seconds($0) })
    }

    /// RFC 9110 `Retry-After`: delay-seconds or an HTTP-date.
    static func retryAfter(_ value: String, now: Date) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed) { return .seconds(max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return .milliseconds(max(0, Int64(date.timeIntervalSince(now) * 1000)))
    }

    /// A unix timestamp turned into a delay from now (0 if past).
    private static func untilUnixTime(_ value: String, now: Date) -> Duration? {
        guard let stamp = Double(value.trimmingCharacters(in: .whitespaces)) else { return nil }
        return .milliseconds(max(0, Int64((stamp - now.timeIntervalSince1970) * 1000)))
    }
}
