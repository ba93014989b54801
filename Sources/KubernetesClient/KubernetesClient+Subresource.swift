import Foundation
import Transport

extension KubernetesClient {
    /// Creates (POSTs) `body` on a subresource of an object and returns the server's answer, as
    /// `POST …/serviceaccounts/<name>/token` (a TokenRequest) or `POST …/pods/<name>/eviction` need.
    ///
    /// - Throws: ``KubernetesError`` (`notFound` when the parent does not exist, `invalid` when the
    ///   server refuses the body).
    package func create<Parent: KubernetesResource, Body: Encodable & Sendable, Reply: Decodable>(
        _ body: Body, subresource: String, of parent: Parent.Type, name: String, namespace: String? = nil,
        replyAs _: Reply.Type, options: WriteOptions = .default
    ) async throws(KubernetesError) -> Reply {
        let path = ResourcePath.item(
            Parent.resourceType, namespace: self.namespace(Parent.self, namespace), name: name,
            subresource: subresource)
        let call = APICall(
            method: .post, path: path, query: options.query, body: try encode(body), contentType: "application/json",
            idempotent: false)
        return try decode(Reply.self, from: try await perform(call).body)
    }
}
