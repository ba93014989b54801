package import struct Foundation.Data

/// One HTTP request, with everything a transport needs to carry it out.
package struct HTTPRequest: Sendable {
    package var method: HTTPMethod
    /// An absolute URL (`https://host:port/path?query`), already percent-encoded.
    package var url: String
    package var headers: HTTPHeaders
    package var body: Data?
    package var timeouts: HTTPTimeouts
    package var tls: TLSConfiguration

    package init(
        method: HTTPMethod = .get,
        url: String,
        headers: HTTPHeaders = [:],
        body: Data? = nil,
        timeouts: HTTPTimeouts = .default,
        tls: TLSConfiguration = .default
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeouts = timeouts
        self.tls = tls
    }
}
