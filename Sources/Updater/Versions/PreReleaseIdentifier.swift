/// One dot-separated pre-release identifier, compared by SemVer 2.0.0 §11: numeric identifiers
/// compare numerically and sort before alphanumeric ones, which compare in ASCII order.
package enum PreReleaseIdentifier: Hashable, Comparable, Sendable, CustomStringConvertible {
    case numeric(UInt64)
    case alphanumeric(String)

    package var description: String {
        switch self {
        case .numeric(let value): String(value)
        case .alphanumeric(let text): text
        }
    }

    package static func < (lhs: PreReleaseIdentifier, rhs: PreReleaseIdentifier) -> Bool {
        switch (lhs, rhs) {
        case (.numeric(let a), .numeric(let b)): a < b
        case (.numeric, .alphanumeric): true
        case (.alphanumeric, .numeric): false
        case (.alphanumeric(let a), .alphanumeric(let b)): a.utf8.lexicographicallyPrecedes(b.utf8)
        }
    }

    /// Whether pre-release `lhs` has lower precedence than `rhs`, where an empty list is a release
    /// (higher than any pre-release) and a shorter list sorts first when it is a prefix of the other.
    package static func precedes(_ lhs: [PreReleaseIdentifier], _ rhs: [PreReleaseIdentifier]) -> Bool {
        switch (lhs.isEmpty, rhs.isEmpty) {
        case (true, _): return false
        case (false, true): return true
        case (false, false): return lhs.lexicographicallyPrecedes(rhs)
        }
    }

    /// Parses dot-separated identifiers `[0-9A-Za-z-]+`. With `strict` (SemVer), numeric identifiers
    /// may not have leading zeros. Returns nil when an identifier is empty or has other characters.
    package static func parseList(_ text: Substring, strict: Bool) -> [PreReleaseIdentifier]? {
        var text = text
        return text.withUTF8 { parseList(utf8: $0[...], strict: strict) }
    }

    /// ``parseList(_:strict:)`` over UTF-8 bytes.
    static func parseList(utf8 bytes: Slice<UnsafeBufferPointer<UInt8>>, strict: Bool) -> [PreReleaseIdentifier]? {
        var result: [PreReleaseIdentifier] = []
        var start = bytes.startIndex
        while true {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: ".")) ?? bytes.endIndex
            let part = bytes[start..<end]
            guard !part.isEmpty, part.allSatisfy({ ByteScanner.isAlphaNumeric($0) || $0 == UInt8(ascii: "-") })
            else { return nil }
            if part.allSatisfy(ByteScanner.isDigit) {
                if strict, part.count > 1, part.first == UInt8(ascii: "0") { return nil }
                var value: UInt64 = 0
                for byte in part {
                    let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                    let (sum, overflow2) = times.addingReportingOverflow(UInt64(byte &- 0x30))
                    if overflow1 || overflow2 { return nil }
                    value = sum
                }
                result.append(.numeric(value))
            } else {
                result.append(.alphanumeric(String(decoding: part, as: UTF8.self)))
            }
            guard end < bytes.endIndex else { return result }
            start = end + 1
        }
    }
}
