/// A Kubernetes API error, rendered as a `metav1.Status` body with the code and reason client-go
/// classifies by.
package struct APIError: Error, Sendable, CustomStringConvertible {
    package var code: Int
    package var reason: String
    package var message: String
    package var details: JSON?
    /// Seconds for a `Retry-After` header (429/503 faults).
    package var retryAfterSeconds: Int?

    package init(code: Int, reason: String, message: String, details: JSON? = nil, retryAfterSeconds: Int? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
        self.retryAfterSeconds = retryAfterSeconds
    }

    package var description: String { "\(code) \(reason): \(message)" }

    /// The `Status` object (`kind: Status`, `status: Failure`).
    package var status: JSON {
        var body: JSON = [
            "kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Failure",
            "message": .string(message), "reason": .string(reason), "code": .int(code),
        ]
        if let details { body["details"] = details }
        return body
    }

    private static func details(_ resource: ServedResource, name: String) -> JSON {
        var details: JSON = ["name": .string(name), "kind": .string(resource.plural)]
        if !resource.group.isEmpty { details["group"] = .string(resource.group) }
        return details
    }

    package static func notFound(_ resource: ServedResource, name: String) -> APIError {
        APIError(
            code: 404, reason: "NotFound", message: "\(resource.qualifiedName) \"\(name)\" not found",
            details: details(resource, name: name))
    }

    package static func namespaceNotFound(_ namespace: String) -> APIError {
        APIError(
            code: 404, reason: "NotFound", message: "namespaces \"\(namespace)\" not found",
            details: ["name": .string(namespace), "kind": "namespaces"])
    }

    package static let unknownPath = APIError(
        code: 404, reason: "NotFound", message: "the server could not find the requested resource",
        details: .emptyObject)

    package static func alreadyExists(_ resource: ServedResource, name: String) -> APIError {
        APIError(
            code: 409, reason: "AlreadyExists", message: "\(resource.qualifiedName) \"\(name)\" already exists",
            details: details(resource, name: name))
    }

    package static func conflict(_ resource: ServedResource, name: String) -> APIError {
        APIError(
            code: 409, reason: "Conflict",
            message: "Operation cannot be fulfilled on \(resource.qualifiedName) \"\(name)\": the object has been "
                + "modified; please apply your changes to the latest version and try again",
            details: details(resource, name: name))
    }

    package static func expired(_ message: String) -> APIError {
        APIError(code: 410, reason: "Expired", message: message)
    }

    package static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message)
    }

    package static let methodNotAllowed = APIError(
        code: 405, reason: "MethodNotAllowed",
        message: "the server does not allow this method on the requested resource")

    package static func unsupportedMediaType(_ message: String) -> APIError {
        APIError(code: 415, reason: "UnsupportedMediaType", message: message)
    }

    package static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    package static func forbidden(_ message: String, resource: ServedResource?, name: String?) -> APIError {
        var details: JSON = .emptyObject
        if let resource {
            details = ["kind": .string(resource.plural)]
            if !resource.group.isEmpty { details["group"] = .string(resource.group) }
            if let name { details["name"] = .string(name) }
        }
        return APIError(code: 403, reason: "Forbidden", message: message, details: details)
    }

    /// One field problem of a 422 Invalid.
    package struct Cause: Sendable, Hashable {
        package var reason: String
        package var field: String
        package var message: String

        package init(reason: String, field: String, message: String) {
            self.reason = reason
            self.field = field
            self.message = message
        }

        package static func required(_ field: String) -> Cause {
            Cause(reason: "FieldValueRequired", field: field, message: "Required value")
        }

        package static func invalid(_ field: String, _ value: JSON, _ detail: String) -> Cause {
            Cause(reason: "FieldValueInvalid", field: field, message: "Invalid value: \(value.text): \(detail)")
        }

        package static func notSupported(_ field: String, _ value: JSON, supported: [JSON]) -> Cause {
            let list = supported.map(\.text).joined(separator: ", ")
            return Cause(
                reason: "FieldValueNotSupported", field: field,
                message: "Unsupported value: \(value.text): supported values: \(list)")
        }

        package static func forbidden(_ field: String, _ detail: String) -> Cause {
            Cause(reason: "FieldValueForbidden", field: field, message: "Forbidden: \(detail)")
        }

        var json: JSON {
            ["reason": .string(reason), "message": .string("\(field): \(message)"), "field": .string(field)]
        }
    }

    /// 422 Invalid: `Kind.group "name" is invalid: field: message` (several causes in brackets).
    package static func invalid(_ resource: ServedResource, name: String, causes: [Cause]) -> APIError {
        let kindName = resource.group.isEmpty ? resource.kind : "\(resource.kind).\(resource.group)"
        let parts = causes.map { "\($0.field): \($0.message)" }
        let summary = parts.count == 1 ? parts[0] : "[" + parts.joined(separator: ", ") + "]"
        var details: JSON = [
            "name": .string(name), "kind": .string(resource.kind), "causes": .array(causes.map(\.json)),
        ]
        if !resource.group.isEmpty { details["group"] = .string(resource.group) }
        return APIError(
            code: 422, reason: "Invalid", message: "\(kindName) \"\(name)\" is invalid: \(summary)", details: details)
    }

    /// A fault-injected error with the conventional reason for its code.
    package static func injected(code: Int, retryAfterSeconds: Int?) -> APIError {
        let reason: String
        let message: String
        switch code {
        case 429:
            reason = "TooManyRequests"
            message = "the server has received too many requests and has asked us to try again later"
        case 500:
            (reason, message) = ("InternalError", "an error on the server has prevented the request from succeeding")
        case 503: (reason, message) = ("ServiceUnavailable", "the server is currently unable to handle the request")
        case 504: (reason, message) = ("Timeout", "the server was unable to return a response in the time allotted")
        default: (reason, message) = ("InternalError", "injected fault \(code)")
        }
        var details: JSON? = nil
        if let retryAfterSeconds { details = ["retryAfterSeconds": .int(retryAfterSeconds)] }
        return APIError(
            code: code, reason: reason, message: message, details: details, retryAfterSeconds: retryAfterSeconds)
    }
}
