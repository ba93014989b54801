import Foundation

/// Base64 helpers for auth headers, dockerconfigjson `auth` fields and JWT segments.
package enum Base64 {
    /// Standard base64 with padding.
    package static func encode(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    /// Decodes standard or URL-safe base64, with or without padding; nil when malformed.
    package static func decode(_ text: String) -> [UInt8]? {
        var normalized = text.trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while normalized.count % 4 != 0 { normalized.append("=") }
        return Data(base64Encoded: normalized).map { Array($0) }
    }
}
