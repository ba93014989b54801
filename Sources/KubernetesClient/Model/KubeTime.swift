public import struct Foundation.Date

/// `metav1.Time`: an RFC 3339 timestamp written with second precision in UTC
/// (`"2026-11-25T16:48:46Z"`), parsed leniently (fractions and offsets accepted).
package struct KubeTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    package var date: Date

    package init(_ date: Date) { self.date = date }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = RFC3339.parse(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not an RFC 3339 timestamp: \(text.prefix(64))")
        }
        self.date = date
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    package var description: String { RFC3339.format(date, fractionDigits: 0) }

    package static func < (lhs: KubeTime, rhs: KubeTime) -> Bool { lhs.date < rhs.date }
}

/// `metav1.MicroTime`: an RFC 3339 timestamp always written with exactly six fractional digits in
/// UTC (`"2026-11-25T16:48:46.123456Z"`) — the API server rejects other widths — and parsed
/// leniently (any width, offsets).
package struct MicroTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    package var date: Date

    package init(_ date: Date) { self.date = date }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = RFC3339.parse(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not an RFC 3339 timestamp: \(text.prefix(64))")
        }
        self.date = date
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    package var description: String { RFC3339.format(date, fractionDigits: 6) }

    package static func < (lhs: MicroTime, rhs: MicroTime) -> Bool { lhs.date < rhs.date }
}
