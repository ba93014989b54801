package import struct Foundation.Date

/// An RFC 3339 timestamp as the API server writes it: UTC, a fixed number of fractional digits,
/// parsed leniently (any width, offsets). ``KubeTime`` and ``MicroTime`` differ only in that width.
package protocol RFC3339Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    var date: Date { get }
    init(_ date: Date)
    /// The number of fractional-second digits written.
    static var fractionDigits: Int { get }
}

extension RFC3339Timestamp {
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = RFC3339.parse(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not an RFC 3339 timestamp: \(text.prefix(64))")
        }
        self.init(date)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    package var description: String { RFC3339.format(date, fractionDigits: Self.fractionDigits) }

    package static func < (lhs: Self, rhs: Self) -> Bool { lhs.date < rhs.date }
}

/// `metav1.Time`: an RFC 3339 timestamp written with second precision in UTC
/// (`"2026-11-25T16:48:46Z"`), parsed leniently (fractions and offsets accepted).
package struct KubeTime: RFC3339Timestamp {
    package var date: Date

    package init(_ date: Date) { self.date = date }

    package static var fractionDigits: Int { 0 }
}

/// `metav1.MicroTime`: an RFC 3339 timestamp always written with exactly six fractional digits in
/// UTC (`"2026-11-25T16:48:46.123456Z"`) — the API server rejects other widths — and parsed
/// leniently (any width, offsets).
package struct MicroTime: RFC3339Timestamp {
    package var date: Date

    package init(_ date: Date) { self.date = date }

    package static var fractionDigits: Int { 6 }
}
