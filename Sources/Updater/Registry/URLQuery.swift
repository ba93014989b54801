import Foundation

/// Percent-encoding of query values and resolution of (possibly relative) URLs from headers.
package enum URLQuery {
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Encodes everything but RFC 3986 unreserved characters (`repository:a/b:pull` → `repository%3Aa%2Fb%3Apull`).
    package static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    /// Resolves `reference` (absolute, or relative like `/v2/x/tags/list?n=2&last=b`) against `base`.
    /// Nil when it is not an HTTP(S) URL or points to another host than `base` (credentials must
    /// never follow a link elsewhere).
    package static func resolve(_ reference: String, against base: String) -> String? {
        guard let baseURL = URL(string: base), let resolved = URL(string: reference, relativeTo: baseURL)?.absoluteURL,
            let scheme = resolved.scheme?.lowercased(), scheme == "http" || scheme == "https",
            resolved.host?.lowercased() == baseURL.host?.lowercased(), resolved.port == baseURL.port
        else { return nil }
        return resolved.absoluteString
    }
}
