package import struct Foundation.Data

/// A complete HTTP response.
package struct HTTPResponse: Sendable {
    package var status: Int
    package var headers: HTTPHeaders
    package var body: Data

    package init(status: Int, headers: HTTPHeaders = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// True for 2xx.
    package var isSuccess: Bool { (200..<300).contains(status) }

    /// Returns self for a 2xx status, otherwise throws ``TransportError/httpStatus(status:headers:body:)``.
    package func checked() throws(TransportError) -> HTTPResponse {
        guard isSuccess else { throw .httpStatus(status: status, headers: headers, body: body) }
        return self
    }
}
