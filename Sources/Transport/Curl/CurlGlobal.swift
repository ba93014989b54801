import CCurl

/// libcurl's process-wide initialisation, performed once.
///
/// `curl_global_init` is not thread-safe in itself; a Swift `static let` is initialised exactly once,
/// under a lock, on first use, so every path that creates a handle goes through ``ensureInitialized()``.
/// The library is never de-initialised (`curl_global_cleanup`): handles may outlive any single owner,
/// and the process exit releases everything.
enum CurlGlobal {
    private static let initResult: CURLcode = curl_global_init(ccurl_global_default())

    /// Initialises libcurl if needed.
    ///
    /// - Throws: ``TransportError/curl(code:message:)`` when libcurl could not initialise (out of memory,
    ///   TLS library failure); every later call fails the same way.
    static func ensureInitialized() throws(TransportError) {
        let code = initResult
        guard code == CURLE_OK else {
            throw .curl(code: Int(code.rawValue), message: "curl_global_init failed: \(CurlError.text(of: code))")
        }
    }

    /// The libcurl version string (e.g. `7.88.1`).
    static var version: String {
        guard let info = curl_version_info(ccurl_version_now()), let text = info.pointee.version else { return "?" }
        return String(cString: text)
    }
}
