import Foundation
import KubernetesClient
import Testing
import Transport
import VersioningAPI

@Suite("Status bodies become typed errors")
struct KubernetesErrorTests {
    static let cases: [(Int, String, String, Bool)] = [
        (404, "NotFound", "notFound", false),
        (409, "Conflict", "conflict", true),
        (409, "AlreadyExists", "alreadyExists", false),
        (422, "Invalid", "invalid", false),
        (410, "Expired", "gone", true),
        (410, "Gone", "gone", true),
        (403, "Forbidden", "forbidden", false),
        (401, "Unauthorized", "unauthorized", false),
        (429, "TooManyRequests", "tooManyRequests", true),
        (500, "InternalError", "server", true),
        (504, "Timeout", "server", true),
        (415, "UnsupportedMediaType", "badRequest", false),
        (400, "BadRequest", "badRequest", false),
    ]

    @Test("each reason maps to its case and retryability", arguments: cases)
    func classify(code: Int, reason: String, expected: String, retryable: Bool) {
        let body =
            #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"m","reason":"\#(reason)","code":\#(code)}"#
        let error = KubernetesError(status: code, headers: [:], body: Data(body.utf8))
        #expect(Self.name(error) == expected)
        #expect(error.isRetryable == retryable)
        #expect(error.status?.reason == reason)
    }

    @Test("a body that is not a Status is classified by HTTP code and kept as the message")
    func plainText() {
        let error = KubernetesError(status: 409, headers: [:], body: Data("busy".utf8))
        #expect(Self.name(error) == "conflict")
        #expect(error.status?.message == "busy")
    }

    @Test("Invalid carries its causes")
    func invalidCauses() throws {
        let body = #"""
            {"kind":"Status","status":"Failure","reason":"Invalid","code":422,
             "message":"VersioningHandler.k8supdater.io \"x\" is invalid: spec.refreshSeconds: Invalid value: 3",
             "details":{"name":"x","group":"k8supdater.io","kind":"VersioningHandler",
                        "causes":[{"reason":"FieldValueInvalid","message":"Invalid value: 3","field":"spec.refreshSeconds"}]}}
            """#
        let error = KubernetesError(status: 422, headers: [:], body: Data(body.utf8))
        guard case .invalid(_, let causes) = error else {
            Issue.record("expected invalid, got \(error)")
            return
        }
        #expect(
            causes == [.init(reason: "FieldValueInvalid", message: "Invalid value: 3", field: "spec.refreshSeconds")])
    }

    @Test("429 takes Retry-After from the header, else from details.retryAfterSeconds")
    func retryAfter() {
        let header = KubernetesError(
            status: 429, headers: ["Retry-After": "7"], body: Data(#"{"reason":"TooManyRequests"}"#.utf8))
        #expect(header.retryAfter == .seconds(7))
        let details = KubernetesError(
            status: 429, headers: [:],
            body: Data(#"{"reason":"TooManyRequests","details":{"retryAfterSeconds":3}}"#.utf8))
        #expect(details.retryAfter == .seconds(3))
    }

    @Test("transport errors keep their own retryability")
    func transport() {
        #expect(KubernetesError.transport(.connectionFailed(host: "h", message: "refused")).isRetryable)
        #expect(!KubernetesError.transport(.tls(message: "bad certificate")).isRetryable)
    }

    static func name(_ error: KubernetesError) -> String {
        switch error {
        case .notFound: "notFound"
        case .conflict: "conflict"
        case .alreadyExists: "alreadyExists"
        case .invalid: "invalid"
        case .gone: "gone"
        case .forbidden: "forbidden"
        case .unauthorized: "unauthorized"
        case .tooManyRequests: "tooManyRequests"
        case .server: "server"
        case .badRequest: "badRequest"
        case .transport: "transport"
        case .decoding: "decoding"
        case .configuration: "configuration"
        }
    }
}
