import CCurl

import struct Foundation.URLComponents

extension CurlEasyHandle {
    /// Applies a ``TLSConfiguration``: trust (system store, or a CA file or PEM bytes instead of it),
    /// an optional client certificate and key (file or PEM bytes), `insecureSkipVerify`, and a server
    /// name override.
    ///
    /// The server name override (kubeconfig `tls-server-name`) is done the libcurl way: the URL's host
    /// is replaced by the name to verify and `CURLOPT_CONNECT_TO` sends the connection to the original
    /// host and port; the returned authority is what the `Host` header must carry.
    ///
    /// - Returns: the original `host[:port]` when the server name was overridden, else nil.
    @discardableResult
    func configure(tls: TLSConfiguration, url: String) throws(TransportError) -> String? {
        try set(CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2))
        switch tls.certificateAuthority {
        case nil: break
        case .file(let path):
            try set(CURLOPT_CAINFO, path)
            try setNull(CURLOPT_CAPATH)
        case .bytes(let pem):
            try set(CURLOPT_CAINFO_BLOB, blob: pem)
            try setNull(CURLOPT_CAINFO)
            try setNull(CURLOPT_CAPATH)
        }
        switch tls.clientCertificate {
        case nil: break
        case .file(let path):
            try set(CURLOPT_SSLCERT, path)
            try set(CURLOPT_SSLCERTTYPE, "PEM")
        case .bytes(let pem):
            try set(CURLOPT_SSLCERT_BLOB, blob: pem)
            try set(CURLOPT_SSLCERTTYPE, "PEM")
        }
        switch tls.clientKey {
        case nil: break
        case .file(let path):
            try set(CURLOPT_SSLKEY, path)
            try set(CURLOPT_SSLKEYTYPE, "PEM")
        case .bytes(let pem):
            try set(CURLOPT_SSLKEY_BLOB, blob: pem)
            try set(CURLOPT_SSLKEYTYPE, "PEM")
        }
        if tls.insecureSkipVerify {
            try set(CURLOPT_SSL_VERIFYPEER, false)
            try set(CURLOPT_SSL_VERIFYHOST, 0)
        } else {
            try set(CURLOPT_SSL_VERIFYPEER, true)
            try set(CURLOPT_SSL_VERIFYHOST, 2)
        }
        guard let serverName = tls.serverName, !serverName.isEmpty else { return nil }
        return try overrideServerName(serverName, url: url)
    }

    private func overrideServerName(_ serverName: String, url: String) throws(TransportError) -> String {
        guard var components = URLComponents(string: url), let host = components.host, let scheme = components.scheme
        else { throw .invalidRequest("cannot apply tls serverName to an unparsable URL") }
        let port = components.port ?? (scheme.lowercased() == "https" ? 443 : 80)
        let target = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let authority = components.port.map { "\(target):\($0)" } ?? target
        components.host = serverName
        guard let rewritten = components.string else { throw .invalidRequest("invalid tls serverName") }
        try set(CURLOPT_URL, rewritten)
        try set(CURLOPT_CONNECT_TO, list: ["\(serverName):\(port):\(target):\(port)"])
        return authority
    }
}
