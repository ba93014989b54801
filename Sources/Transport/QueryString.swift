/// Encodes query parameters as Go's `url.Values.Encode` does (client-go): keys sorted, unreserved
/// characters kept, space as `+`, everything else `%XX` — so `app in (a,b)` becomes `app+in+%28a%2Cb%29`.
/// The one query-string builder (and percent-encoder) of the package: the Kubernetes client and the
/// registry clients use it.
package struct QueryString: Sendable, Hashable {
    package private(set) var items: [(String, String)] = []

    package init() {}

    package static func == (lhs: QueryString, rhs: QueryString) -> Bool {
        lhs.items.map(\.0) == rhs.items.map(\.0) && lhs.items.map(\.1) == rhs.items.map(\.1)
    }

    package func hash(into hasher: inout Hasher) {
        for (key, value) in items {
            hasher.combine(key)
            hasher.combine(value)
        }
    }

    /// Adds `key=value` when `value` is non-nil.
    package mutating func add(_ key: String, _ value: String?) {
        if let value { items.append((key, value)) }
    }

    /// `?k=v&…` with keys in sorted order, or "" when empty.
    package var encoded: String {
        guard !items.isEmpty else { return "" }
        let sorted = items.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
        return "?" + sorted.map { Self.escape($0.element.0) + "=" + Self.escape($0.element.1) }.joined(separator: "&")
    }

    package static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if isUnreserved(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else if byte == UInt8(ascii: " ") {
                out += "+"
            } else {
                out += percent(byte)
            }
        }
        return out
    }

    /// Percent-encodes one path segment: RFC 3986 unreserved characters kept, everything else `%XX`
    /// (`group/project` → `group%2Fproject`).
    package static func escapePathSegment(_ segment: String) -> String {
        var out = ""
        for byte in segment.utf8 {
            if isUnreserved(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += percent(byte)
            }
        }
        return out
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }

    static func percent(_ byte: UInt8) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        return "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
    }
}
