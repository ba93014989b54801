import class Foundation.ProcessInfo

/// Which proxy a transfer goes through, read from the environment the way curl and kubectl read it.
///
/// - `http://` URLs use `http_proxy` (lower case only: `HTTP_PROXY` is ignored, as curl does, because
///   CGI servers set it from a request header), else `all_proxy` / `ALL_PROXY`;
/// - `https://` URLs use `https_proxy` / `HTTPS_PROXY`, else `all_proxy` / `ALL_PROXY`;
/// - hosts matching `no_proxy` / `NO_PROXY` (comma-separated names, domain suffixes, IP addresses or
///   CIDR ranges, or `*`) connect directly.
///
/// The transport sets the result explicitly on every transfer (`CURLOPT_PROXY`, `CURLOPT_NOPROXY`), so
/// behaviour does not depend on libcurl re-reading the environment, and tests can pass their own.
package struct ProxyConfiguration: Sendable, Hashable {
    package var httpProxy: String?
    package var httpsProxy: String?
    package var noProxy: String?

    package init(httpProxy: String? = nil, httpsProxy: String? = nil, noProxy: String? = nil) {
        self.httpProxy = httpProxy
        self.httpsProxy = httpsProxy
        self.noProxy = noProxy
    }

    /// No proxy at all, whatever the environment says.
    package static let none = ProxyConfiguration()

    /// The proxies named by `environment` (by default the process's).
    package static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> ProxyConfiguration {
        func value(_ names: String...) -> String? {
            names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        }
        let all = value("all_proxy", "ALL_PROXY")
        return ProxyConfiguration(
            httpProxy: value("http_proxy") ?? all,
            httpsProxy: value("https_proxy", "HTTPS_PROXY") ?? all,
            noProxy: value("no_proxy", "NO_PROXY")
        )
    }

    /// The proxy for a URL's scheme, or nil for a direct connection (before `noProxy` is applied).
    package func proxy(forURL url: String) -> String? {
        let lower = url.lowercased()
        if lower.hasPrefix("https://") { return httpsProxy }
        if lower.hasPrefix("http://") { return httpProxy }
        return nil
    }
}
