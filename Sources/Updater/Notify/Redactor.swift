/// Removes known secret values from text that is about to leave a channel (error messages, logs).
///
/// Channels build errors from server replies and transport errors, which may echo a URL or a request
/// line containing a token. Every such text passes through ``scrub(_:)`` first, which replaces each
/// secret — verbatim and percent-encoded — with ``SecretValue/placeholder``.
package struct Redactor: Sendable {
    private let needles: [String]

    /// A redactor for the given secrets; empty secrets are ignored.
    package init(_ secrets: [SecretValue]) {
        var needles: Set<String> = []
        for secret in secrets where !secret.isEmpty {
            let value = secret.revealed
            needles.insert(value)
            needles.insert(Self.percentEncoded(value))
        }
        // Longest first, so a secret containing another is replaced whole.
        self.needles = needles.sorted { $0.count > $1.count }
    }

    /// `text` with every secret replaced by ``SecretValue/placeholder``.
    package func scrub(_ text: String) -> String {
        var result = text
        for needle in needles where result.contains(needle) {
            result = result.replacing(needle, with: SecretValue.placeholder)
        }
        return result
    }

    /// `text` with everything except RFC 3986 unreserved characters percent-encoded.
    private static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF")
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 0x0f)])"
            }
        }
        return out
    }
}
