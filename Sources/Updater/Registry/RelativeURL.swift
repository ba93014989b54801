import Foundation

/// Resolution of (possibly relative) URLs from `Link` and pagination headers. (Query strings and
/// percent-encoding: Transport's `QueryString`.)
package enum RelativeURL {
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
