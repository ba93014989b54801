import Foundation

/// A token issued through `serviceaccounts/<name>/token` (`kubectl create token`).
struct BoundToken: Sendable {
    var namespace: String
    var serviceAccount: String
    var uid: String
    var expires: Date
}

extension Emulator {
    /// The ServiceAccount identity of a bound token, or nil once it expired or its ServiceAccount is
    /// gone (or was recreated with another uid), as kube-apiserver's token authenticator decides.
    func boundIdentity(_ token: BoundToken) -> Identity? {
        guard token.expires > Date(),
            objects[Self.serviceAccountKey]?[Self.objectKey(namespace: token.namespace, name: token.serviceAccount)]?
                .uid == token.uid
        else { return nil }
        return .user("system:serviceaccount:\(token.namespace):\(token.serviceAccount)")
    }

    /// Answers a TokenRequest: a JWT-shaped token for the ServiceAccount, valid for
    /// `spec.expirationSeconds` (default 3600, at least 600).
    ///
    /// - Throws: ``APIError`` 404 when the ServiceAccount does not exist, 422 for a too short duration,
    ///   400 for a body that is not a TokenRequest.
    func requestToken(namespace: String, serviceAccount name: String, body: JSON) throws(APIError) -> JSON {
        guard let accountType = type(ofStorageKey: Self.serviceAccountKey) else { throw APIError.unknownPath }
        guard let account = stored(accountType, namespace: namespace, name: name), let uid = account.uid else {
            throw APIError.notFound(accountType, name: name)
        }
        if let kind = body["kind"]?.stringValue, kind != "TokenRequest" {
            throw APIError.badRequest("the kind of the object (\(kind)) does not match TokenRequest")
        }
        let seconds = body[path: ["spec", "expirationSeconds"]]?.intValue ?? 3600
        if seconds < 600 {
            throw APIError(
                code: 422, reason: "Invalid",
                message: "TokenRequest.authentication.k8s.io \"\(name)\" is invalid: spec.expirationSeconds: Invalid "
                    + "value: \(seconds): may not specify a duration less than 10 minutes")
        }
        let audiences =
            body[path: ["spec", "audiences"]]?.arrayValue ?? ["https://kubernetes.default.svc.cluster.local"]
        let now = Date()
        let expires = now.addingTimeInterval(TimeInterval(seconds))
        let claims: JSON = [
            "aud": .array(audiences), "exp": .int(Int(expires.timeIntervalSince1970)),
            "iat": .int(Int(now.timeIntervalSince1970)), "nbf": .int(Int(now.timeIntervalSince1970)),
            "iss": "https://kubernetes.default.svc.cluster.local",
            "sub": .string("system:serviceaccount:\(namespace):\(name)"),
            "jti": .string(UUID().uuidString.lowercased()),
            "kubernetes.io": [
                "namespace": .string(namespace), "serviceaccount": ["name": .string(name), "uid": .string(uid)],
            ],
        ]
        let header: JSON = ["alg": "RS256", "kid": "kube-emulator"]
        let signature = Data((0..<64).map { _ in UInt8.random(in: 0...255) })
        let token = [header.encoded(), claims.encoded(), signature].map(Self.base64URL).joined(separator: ".")
        boundTokens[token] = BoundToken(namespace: namespace, serviceAccount: name, uid: uid, expires: expires)
        var spec = body["spec"] ?? .emptyObject
        spec["audiences"] = .array(audiences)
        spec["expirationSeconds"] = .int(seconds)
        if spec["boundObjectRef"] == nil { spec["boundObjectRef"] = .null }
        return [
            "kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "creationTimestamp": .null],
            "spec": spec, "status": ["token": .string(token), "expirationTimestamp": .string(Self.timestamp(expires))],
        ]
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
