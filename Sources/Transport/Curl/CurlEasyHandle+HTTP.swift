import CCurl

import struct Foundation.URLComponents

extension CurlEasyHandle {
    /// Configures this handle for an HTTP request whose callbacks report to `transfer`.
    ///
    /// Policy applied to every request:
    /// - only `http` and `https` URLs; redirects are not followed (a 3xx is a response);
    /// - HTTP/2 when the server offers it over TLS (`CURL_HTTP_VERSION_2TLS`), HTTP/1.1 otherwise;
    /// - proxies from the environment (`http_proxy`, `HTTPS_PROXY`, `NO_PROXY`…), which libcurl honours
    ///   because this transport never sets `CURLOPT_PROXY`;
    /// - `Expect: 100-continue` is never sent, and no default `Content-Type` is added to bodies;
    /// - compressed responses are accepted and decoded unless the caller sets `Accept-Encoding`;
    /// - TCP keep-alive on, signals off (`CURLOPT_NOSIGNAL`, required with threads).
    ///
    /// - Throws: ``TransportError/invalidRequest(_:)`` for a header with a line break or an impossible
    ///   method/body combination; errors of ``set(_:_:)-swift.method`` for options libcurl rejects.
    func configure(http request: HTTPRequest, transfer: CurlTransfer) throws(TransportError) {
        try set(CURLOPT_URL, request.url)
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_NOSIGNAL, true)
        try set(CURLOPT_FOLLOWLOCATION, false)
        try set(CURLOPT_SUPPRESS_CONNECT_HEADERS, true)
        try set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        try set(CURLOPT_PIPEWAIT, true)
        try set(CURLOPT_TCP_KEEPALIVE, true)
        try set(CURLOPT_USERAGENT, BuildInfo.userAgent)
        if !request.headers.contains("Accept-Encoding") { try set(CURLOPT_ACCEPT_ENCODING, "") }
        try configureMethod(request)
        try configure(timeouts: request.timeouts)
        let hostHeader = try configure(tls: request.tls, url: request.url)
        try configureHeaders(request, hostHeader: hostHeader)

        try set(CURLOPT_HEADERDATA, pointer: transfer.userData)
        try set(
            CURLOPT_HEADERFUNCTION,
            writeCallback: { buffer, size, count, userData in
                guard let buffer, let userData else { return 0 }
                return CurlTransfer.from(userData).receiveHeaderLine(
                    UnsafeRawBufferPointer(start: buffer, count: size * count))
            })
        try set(CURLOPT_WRITEDATA, pointer: transfer.userData)
        try set(
            CURLOPT_WRITEFUNCTION,
            writeCallback: { buffer, size, count, userData in
                guard let buffer, let userData else { return 0 }
                return CurlTransfer.from(userData).receiveBody(
                    UnsafeRawBufferPointer(start: buffer, count: size * count))
            })
    }

    private func configureMethod(_ request: HTTPRequest) throws(TransportError) {
        let method = request.method
        if method == .head {
            guard request.body == nil else { throw .invalidRequest("a HEAD request cannot have a body") }
            try set(CURLOPT_NOBODY, true)
            return
        }
        if let body = request.body {
            // POSTFIELDS carries a body for any method; CUSTOMREQUEST then names the method.
            try set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(body.count))
            if body.isEmpty {
                try set(CURLOPT_COPYPOSTFIELDS, "")
            } else {
                let code = body.withUnsafeBytes { bytes in
                    ccurl_easy_setopt_pointer(
                        raw, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                }
                guard code == CURLE_OK else {
                    throw .curl(code: Int(code.rawValue), message: "request body: \(CurlError.text(of: code))")
                }
            }
            if method != .post { try set(CURLOPT_CUSTOMREQUEST, method.rawValue) }
            return
        }
        switch method {
        case .get: try set(CURLOPT_HTTPGET, true)
        case .post:
            try set(CURLOPT_POSTFIELDSIZE_LARGE, offset: 0)
            try set(CURLOPT_COPYPOSTFIELDS, "")
        default:
            try set(CURLOPT_CUSTOMREQUEST, method.rawValue)
        }
    }

    private func configureHeaders(_ request: HTTPRequest, hostHeader: String?) throws(TransportError) {
        var lines: [String] = []
        if let hostHeader, !request.headers.contains("Host") { lines.append("Host: \(hostHeader)") }
        for field in request.headers {
            guard Self.isToken(field.name) else { throw .invalidRequest("invalid header name \"\(field.name)\"") }
            guard !field.value.containsLineBreakOrNUL else {
                // The value is not echoed: it may be a credential.
                throw .invalidRequest("the value of header \(field.name) contains a line break or NUL")
            }
            // "Name;" is libcurl's spelling for a header sent with an empty value ("Name:" removes it).
            lines.append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        lines.append("Expect:")
        if request.body != nil, !request.headers.contains("Content-Type") { lines.append("Content-Type:") }
        try set(CURLOPT_HTTPHEADER, list: lines)
    }

    /// Applies connect, total and low-speed limits.
    func configure(timeouts: HTTPTimeouts) throws(TransportError) {
        try set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(timeouts.connect))
        try set(CURLOPT_TIMEOUT_MS, timeouts.total.map(Self.milliseconds) ?? 0)
        if let window = timeouts.lowSpeedWindow {
            // libcurl measures low speed in whole seconds.
            let seconds = max(1, Int((Self.milliseconds(window) + 999) / 1000))
            try set(CURLOPT_LOW_SPEED_LIMIT, max(1, timeouts.lowSpeedBytes))
            try set(CURLOPT_LOW_SPEED_TIME, seconds)
        }
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let total = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int(clamping: max(1, total))
    }

    private static func isToken(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"):
                    true
                default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
                }
            }
    }

    /// The host of a URL, for error messages (never the whole URL: it may carry credentials).
    static func host(of url: String) -> String {
        URLComponents(string: url)?.host ?? "(unparsable URL)"
    }
}
