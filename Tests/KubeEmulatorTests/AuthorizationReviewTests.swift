import KubeEmulator
import Testing
import Transport

/// Access reviews, rules reviews, impersonation and TokenRequest tokens, all answered by the RBAC
/// evaluator that enforces requests, over both fronts.
@Suite("Authorization reviews, impersonation and TokenRequest")
struct AuthorizationReviewTests {
    static let namespace = "shop"
    static let user = "system:serviceaccount:shop:reader"

    /// Namespace `shop`, ServiceAccount `reader`, a Role reading Pods bound to it.
    static func setUp(_ client: Client) async throws {
        #expect(try await client.post("/api/v1/namespaces", ["metadata": ["name": "shop"]]).status == 201)
        #expect(
            try await client.post("/api/v1/namespaces/shop/serviceaccounts", ["metadata": ["name": "reader"]]).status
                == 201)
        let role: JSON = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": ["name": "pod-reader"],
            "rules": [["apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list", "watch"]]],
        ]
        #expect(try await client.post("/apis/rbac.authorization.k8s.io/v1/namespaces/shop/roles", role).status == 201)
        let binding: JSON = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": ["name": "read-pods"],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "pod-reader"],
            "subjects": [["kind": "ServiceAccount", "name": "reader", "namespace": "shop"]],
        ]
        #expect(
            try await client.post("/apis/rbac.authorization.k8s.io/v1/namespaces/shop/rolebindings", binding).status
                == 201)
    }

    static func attributes(_ verb: String, _ resource: String, namespace: String = "shop") -> JSON {
        ["resourceAttributes": ["verb": .string(verb), "resource": .string(resource), "namespace": .string(namespace)]]
    }

    @Test(
        "SelfSubjectAccessReview as an impersonated ServiceAccount answers as RBAC enforces",
        arguments: Emulator.Front.allCases)
    func selfReview(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            try await Self.setUp(client)
            func review(_ spec: JSON) async throws -> Client.Reply {
                try await client.request(
                    .post, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                    body: ["apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": spec],
                    impersonating: Self.user)
            }
            let allowed = try await review(Self.attributes("list", "pods"))
            #expect(allowed.status == 201)
            #expect(allowed.json[path: ["status", "allowed"]] == true)
            #expect(
                allowed.json[path: ["status", "reason"]]
                    == "RBAC: allowed by RoleBinding \"read-pods/shop\" of Role \"pod-reader\"")
            #expect(try await review(Self.attributes("delete", "pods")).json[path: ["status", "allowed"]] == false)
            #expect(
                try await review(Self.attributes("list", "pods", namespace: "default")).json[path: [
                    "status", "allowed",
                ]]
                    == false)
            #expect(try await review(Self.attributes("get", "secrets")).json[path: ["status", "allowed"]] == false)
            // The same identity is refused by the enforcing path.
            #expect(
                try await client.request(.get, "/api/v1/namespaces/shop/pods", impersonating: Self.user).status == 200)
            let forbidden = try await client.request(.get, "/api/v1/namespaces/shop/secrets", impersonating: Self.user)
            #expect(forbidden.status == 403)
            #expect(
                forbidden.json["message"]
                    == .string(
                        "secrets is forbidden: User \"\(Self.user)\" cannot list resource \"secrets\" in API group \"\" "
                            + "in the namespace \"shop\""))
        }
    }

    @Test(
        "SubjectAccessReview, LocalSubjectAccessReview and SelfSubjectRulesReview", arguments: Emulator.Front.allCases)
    func subjectReviews(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            try await Self.setUp(client)
            var spec = Self.attributes("watch", "pods")
            spec["user"] = .string(Self.user)
            let review = try await client.post(
                "/apis/authorization.k8s.io/v1/subjectaccessreviews",
                ["apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "spec": spec])
            #expect(review.status == 201)
            #expect(review.json[path: ["status", "allowed"]] == true)
            spec[path: ["resourceAttributes", "verb"]] = "create"
            let denied = try await client.post(
                "/apis/authorization.k8s.io/v1/subjectaccessreviews",
                ["apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "spec": spec])
            #expect(denied.json[path: ["status", "allowed"]] == false)
            let empty = try await client.post(
                "/apis/authorization.k8s.io/v1/subjectaccessreviews",
                [
                    "apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
                    "spec": Self.attributes("get", "pods"),
                ])
            #expect(empty.status == 422)

            let local = try await client.post(
                "/apis/authorization.k8s.io/v1/namespaces/shop/localsubjectaccessreviews",
                [
                    "apiVersion": "authorization.k8s.io/v1", "kind": "LocalSubjectAccessReview",
                    "spec": ["user": .string(Self.user), "resourceAttributes": ["verb": "get", "resource": "pods"]],
                ])
            #expect(local.json[path: ["status", "allowed"]] == true)

            let rules = try await client.request(
                .post, "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
                body: [
                    "apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview",
                    "spec": ["namespace": "shop"],
                ], impersonating: Self.user)
            #expect(rules.status == 201)
            let resourceRules = rules.json[path: ["status", "resourceRules"]]?.arrayValue ?? []
            #expect(resourceRules.contains { $0["resources"] == ["pods"] && $0["verbs"] == ["get", "list", "watch"] })
            #expect(rules.json[path: ["status", "incomplete"]] == false)

            // A ServiceAccount may not impersonate without the `impersonate` verb.
            let token = await client.emulator.issueToken(serviceAccount: "reader", namespace: "shop")
            let refused = try await client.with(token: token).request(
                .get, "/api/v1/namespaces/shop/pods", impersonating: "someone")
            #expect(refused.status == 403)
            #expect(refused.json["message"]?.stringValue?.contains("cannot impersonate resource \"users\"") == true)
        }
    }

    @Test(
        "TokenRequest tokens authenticate as the ServiceAccount until it is deleted", arguments: Emulator.Front.allCases
    )
    func tokenRequest(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            try await Self.setUp(client)
            let path = "/api/v1/namespaces/shop/serviceaccounts/reader/token"
            let reply = try await client.post(
                path,
                ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": ["expirationSeconds": 3600]])
            #expect(reply.status == 201)
            let token = try #require(reply.json[path: ["status", "token"]]?.stringValue)
            #expect(token.split(separator: ".").count == 3)
            #expect(reply.json[path: ["status", "expirationTimestamp"]]?.stringValue?.hasSuffix("Z") == true)
            let reader = client.with(token: token)
            #expect(try await reader.get("/api/v1/namespaces/shop/pods").status == 200)
            #expect(try await reader.get("/api/v1/namespaces/shop/secrets").status == 403)
            let whoami = try await reader.post(
                "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                ["apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"])
            #expect(whoami.json[path: ["status", "userInfo", "username"]] == .string(Self.user))

            #expect(try await client.post(path, ["spec": ["expirationSeconds": 60]]).status == 422)
            #expect(
                try await client.post("/api/v1/namespaces/shop/serviceaccounts/nobody/token", .emptyObject).status
                    == 404)
            #expect(try await client.delete("/api/v1/namespaces/shop/serviceaccounts/reader").status == 200)
            #expect(try await reader.get("/api/v1/namespaces/shop/pods").status == 401)
        }
    }

    @Test("impersonation: granted by an impersonate rule, groups replace the user's, system:masters bypasses RBAC")
    func impersonation() async throws {
        try await withEmulator(.inProcess) { client in
            try await Self.setUp(client)
            let token = await client.emulator.issueToken(serviceAccount: "reader", namespace: "shop")
            let reader = client.with(token: token)
            #expect(
                try await reader.request(.get, "/api/v1/namespaces/shop/pods", impersonating: "alice").status == 403)
            let role: JSON = [
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": ["name": "as-alice"],
                "rules": [
                    ["apiGroups": [""], "resources": ["users"], "verbs": ["impersonate"], "resourceNames": ["alice"]]
                ],
            ]
            _ = try await client.post("/apis/rbac.authorization.k8s.io/v1/clusterroles", role)
            let binding: JSON = [
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                "metadata": ["name": "as-alice"],
                "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "as-alice"],
                "subjects": [["kind": "ServiceAccount", "name": "reader", "namespace": "shop"]],
            ]
            _ = try await client.post("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", binding)
            // alice has no rights of her own: impersonation is allowed, the request is not.
            let asAlice = try await reader.request(.get, "/api/v1/namespaces/shop/pods", impersonating: "alice")
            #expect(asAlice.status == 403)
            #expect(asAlice.json["message"]?.stringValue?.contains("User \"alice\" cannot list") == true)
            #expect(try await reader.request(.get, "/api/v1/namespaces/shop/pods", impersonating: "bob").status == 403)

            let masters = try await client.request(
                .post, "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
                body: [
                    "apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview",
                    "spec": ["namespace": "shop"],
                ],
                extraHeaders: ["Impersonate-User": "carol", "Impersonate-Group": "system:masters"])
            #expect(masters.json[path: ["status", "resourceRules"]]?.arrayValue?.first?["verbs"] == ["*"])
            let whoami = try await client.request(
                .post, "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                body: ["apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"],
                extraHeaders: ["Impersonate-User": "carol", "Impersonate-Group": "devs"])
            #expect(whoami.json[path: ["status", "userInfo", "username"]] == "carol")
            #expect(whoami.json[path: ["status", "userInfo", "groups"]] == ["devs", "system:authenticated"])
            let groupsOnly = try await client.request(
                .get, "/api/v1/namespaces/shop/pods", extraHeaders: ["Impersonate-Group": "devs"])
            #expect(groupsOnly.status == 400)
        }
    }

    @Test("every namespace gets a default ServiceAccount")
    func defaultServiceAccount() async throws {
        try await withEmulator(.inProcess) { client in
            #expect(try await client.get("/api/v1/namespaces/default/serviceaccounts/default").status == 200)
            #expect(try await client.get("/api/v1/namespaces/kube-system/serviceaccounts/default").status == 200)
            _ = try await client.post("/api/v1/namespaces", ["metadata": ["name": "fresh"]])
            #expect(try await client.get("/api/v1/namespaces/fresh/serviceaccounts/default").status == 200)
            _ = try await client.delete("/api/v1/namespaces/fresh/serviceaccounts/default")
            #expect(try await client.get("/api/v1/namespaces/fresh/serviceaccounts/default").status == 200)
        }
    }
}

extension Client {
    /// A request with `Impersonate-User`.
    func request(_ method: HTTPMethod, _ path: String, body: JSON? = nil, impersonating user: String)
        async throws -> Reply
    {
        try await request(method, path, body: body, extraHeaders: ["Impersonate-User": user])
    }
}
