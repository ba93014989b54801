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
        var result: [PreReleaseIdentifier] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            let bytes = part.utf8
            guard !bytes.isEmpty, bytes.allSatisfy({ ByteScanner.isAlphaNumeric($0) || $0 == UInt8(ascii: "-") })
            else { return nil }
            if bytes.allSatisfy(ByteScanner.isDigit) {
                if strict, bytes.count > 1, bytes.first == UInt8(ascii: "0") { return nil }
                guard let value = UInt64(part) else { return nil }
                result.append(.numeric(value))
            } else {
                result.append(.alphanumeric(String(part)))
            }
        }
        return result
    }
}
