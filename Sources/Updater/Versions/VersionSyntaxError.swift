/// Why a string is not a version of the chosen flavour. Positions are UTF-8 offsets.
package enum VersionSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Something specific was expected at `at`.
    case expected(String, at: Int, in: String)
    /// Characters left over at `at` that no rule accepts.
    case unexpected(at: Int, in: String)
    /// A number has more digits than fit in 64 bits.
    case numberTooLarge(in: String)
    /// SemVer forbids leading zeros in numeric identifiers.
    case leadingZero(in: String)

    package var description: String {
        switch self {
        case .expected(let what, let at, let text): "expected \(what) at offset \(at) in \"\(text)\""
        case .unexpected(let at, let text): "unexpected character at offset \(at) in \"\(text)\""
        case .numberTooLarge(let text): "a number in \"\(text)\" is too large (more than 64 bits)"
        case .leadingZero(let text): "a numeric identifier in \"\(text)\" has a leading zero (not SemVer)"
        }
    }
}
