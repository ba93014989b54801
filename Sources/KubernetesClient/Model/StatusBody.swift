/// `metav1.Status`: the body of every API error (and of some successful deletes).
package struct StatusBody: Sendable, Hashable, Codable {
    package var kind: String?
    package var apiVersion: String?
    /// `Success` or `Failure`.
    package var status: String?
    package var message: String?
    /// Machine-readable: `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, `Expired`, `Gone`, …
    package var reason: String?
    package var details: Details?
    package var code: Int?

    package init(status: String? = "Failure", message: String? = nil, reason: String? = nil, code: Int? = nil) {
        self.kind = "Status"
        self.apiVersion = "v1"
        self.status = status
        self.message = message
        self.reason = reason
        self.code = code
    }

    package struct Details: Sendable, Hashable, Codable {
        package var name: String?
        package var group: String?
        /// The resource plural for NotFound/AlreadyExists/Conflict, the Kind for Invalid.
        package var kind: String?
        package var uid: String?
        package var causes: [Cause]?
        package var retryAfterSeconds: Int?
    }

    /// One reason a request was invalid, with the field it concerns.
    package struct Cause: Sendable, Hashable, Codable {
        package var reason: String?
        package var message: String?
        package var field: String?

        package init(reason: String? = nil, message: String? = nil, field: String? = nil) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }
}
