/// The create-only review kinds and TokenRequest, answered as kube-apiserver answers them: the object
/// comes back (201) with a computed `status`, nothing is stored. Access and rules reviews use the RBAC
/// evaluator that enforces requests (``Emulator/authorizingBinding(user:groups:_:)``).
extension ResourceHandler {
    /// The answer for a review kind or `serviceaccounts/<name>/token`; nil for any other request.
    func review(_ type: ServedResource, _ target: RequestTarget.ResourceRequest) async throws(APIError)
        -> EmulatorResponse?
    {
        if type.storageKey == Emulator.serviceAccountKey && target.subresource == "token" {
            guard request.method == "POST" else { throw APIError.methodNotAllowed }
            guard let name = target.name, let namespace = target.namespace else { throw APIError.unknownPath }
            try await authorize(type, target)
            let answer = try await emulator.requestToken(
                namespace: namespace, serviceAccount: name, body: try jsonBody())
            return .json(201, answer)
        }
        guard type.isReview else { return nil }
        guard target.name == nil, target.subresource == nil else { throw APIError.unknownPath }
        guard request.method == "POST" else { throw APIError.methodNotAllowed }
        var body = try jsonBody()
        guard case .object = body else { throw APIError.badRequest("the body of the request is not a JSON object") }
        try await emulator.checkKind(body, type)
        if !type.kind.hasPrefix("Self") { try await authorize(type, target) }
        let requester: (user: String?, groups: Set<String>) =
            switch identity {
            case .admin: (nil, ["system:masters", "system:authenticated"])
            case .user(let user): (user, groups ?? Emulator.groups(of: user))
            }
        let spec = body["spec"] ?? .emptyObject
        let status: JSON
        switch type.kind {
        case "SelfSubjectAccessReview":
            status = await emulator.accessReviewStatus(user: requester.user, groups: requester.groups, spec: spec)
        case "SubjectAccessReview", "LocalSubjectAccessReview":
            let user = spec["user"]?.stringValue ?? ""
            let groups = Set((spec["groups"]?.arrayValue ?? []).compactMap(\.stringValue))
            var spec = spec
            if user.isEmpty && groups.isEmpty {
                throw APIError.invalid(
                    type, name: "",
                    causes: [
                        .invalid("spec.user", "", "at least one of user or group must be specified")
                    ])
            }
            if type.kind == "LocalSubjectAccessReview", let namespace = target.namespace {
                let requested = spec[path: ["resourceAttributes", "namespace"]]?.stringValue ?? ""
                if !requested.isEmpty && requested != namespace {
                    throw APIError.invalid(
                        type, name: "",
                        causes: [
                            .invalid(
                                "spec.resourceAttributes.namespace", .string(requested),
                                "must match metadata.namespace")
                        ])
                }
                spec[path: ["resourceAttributes", "namespace"]] = .string(namespace)
            }
            status = await emulator.accessReviewStatus(user: user, groups: groups, spec: spec)
        case "SelfSubjectRulesReview":
            status = await emulator.rulesReviewStatus(
                user: requester.user, groups: requester.groups, namespace: spec["namespace"]?.stringValue ?? "")
        case "SelfSubjectReview":
            status = [
                "userInfo": [
                    "username": .string(requester.user ?? Identity.admin.description),
                    "groups": .array(requester.groups.sorted().map { .string($0) }),
                ]
            ]
        default:  // TokenReview
            let token = spec["token"]?.stringValue ?? ""
            let reviewed = token.isEmpty ? nil : await emulator.identity(forToken: token)
            if let reviewed {
                let name = reviewed.description
                let groups =
                    reviewed == .admin
                    ? ["system:masters", "system:authenticated"] : Emulator.groups(of: name).sorted()
                status = [
                    "authenticated": true,
                    "user": ["username": .string(name), "groups": .array(groups.map { .string($0) })],
                    "audiences": spec["audiences"] ?? ["https://kubernetes.default.svc.cluster.local"],
                ]
            } else {
                status = ["authenticated": false, "user": .emptyObject, "error": "invalid bearer token"]
            }
        }
        body["apiVersion"] = .string(type.apiVersion)
        body["kind"] = .string(type.kind)
        var metadata = body["metadata"] ?? .emptyObject
        metadata["creationTimestamp"] = .null
        body["metadata"] = metadata
        body["status"] = status
        return .json(201, body)
    }
}

extension Emulator {
    /// The kinds and paths every authenticated user may use (the bootstrap `system:basic-user`,
    /// `system:discovery` and `system:public-info-viewer` roles kube-apiserver binds).
    static let basicUserRules: [JSON] = [
        [
            "verbs": ["create"], "apiGroups": ["authorization.k8s.io"],
            "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
        ],
        ["verbs": ["create"], "apiGroups": ["authentication.k8s.io"], "resources": ["selfsubjectreviews"]],
    ]
    static let basicNonResourceRules: [JSON] = [
        [
            "verbs": ["get"],
            "nonResourceURLs": [
                "/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz",
                "/version", "/version/",
            ],
        ]
    ]

    /// A SubjectAccessReview's status for `user` (nil: the admin) and `groups`.
    func accessReviewStatus(user: String?, groups: Set<String>, spec: JSON) -> JSON {
        guard let user, !groups.contains("system:masters") else {
            return ["allowed": true, "reason": "RBAC: allowed by the system:masters group"]
        }
        if let attributes = spec["resourceAttributes"] {
            let resource = attributes["resource"]?.stringValue ?? ""
            let subresource = attributes["subresource"]?.stringValue ?? ""
            let namespace = attributes["namespace"]?.stringValue ?? ""
            let name = attributes["name"]?.stringValue ?? ""
            let request = ResourceAttributes(
                verb: attributes["verb"]?.stringValue ?? "", group: attributes["group"]?.stringValue ?? "",
                resource: subresource.isEmpty ? resource : "\(resource)/\(subresource)",
                namespace: namespace.isEmpty ? nil : namespace, name: name.isEmpty ? nil : name)
            if Self.basicUserRules.contains(where: { Self.allows($0, request) }) {
                return ["allowed": true, "reason": "RBAC: allowed by ClusterRoleBinding \"system:basic-user\""]
            }
            if let reason = authorizingBinding(user: user, groups: groups, request) {
                return ["allowed": true, "reason": .string(reason)]
            }
            return ["allowed": false]
        }
        let path = spec[path: ["nonResourceAttributes", "path"]]?.stringValue ?? ""
        let verb = spec[path: ["nonResourceAttributes", "verb"]]?.stringValue ?? ""
        let rules = Self.basicNonResourceRules + boundRules(user: user, groups: groups, namespace: nil).flatMap(\.rules)
        return ["allowed": .bool(rules.contains { Self.allowsNonResource($0, verb: verb, path: path) })]
    }

    /// A SelfSubjectRulesReview's status: every rule bound to the user in `namespace`.
    func rulesReviewStatus(user: String?, groups: Set<String>, namespace: String) -> JSON {
        guard let user, !groups.contains("system:masters") else {
            return [
                "resourceRules": [["verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]]],
                "nonResourceRules": [["verbs": ["*"], "nonResourceURLs": ["*"]]], "incomplete": false,
            ]
        }
        let bound = boundRules(user: user, groups: groups, namespace: namespace.isEmpty ? nil : namespace)
            .flatMap(\.rules)
        let rules = Self.basicUserRules + bound
        let resourceRules: [JSON] = rules.filter { $0["resources"] != nil }.map { rule in
            var entry: JSON = [
                "verbs": rule["verbs"] ?? [], "apiGroups": rule["apiGroups"] ?? [],
                "resources": rule["resources"] ?? [],
            ]
            if let names = rule["resourceNames"] { entry["resourceNames"] = names }
            return entry
        }
        let nonResourceRules: [JSON] = (Self.basicNonResourceRules + bound.filter { $0["nonResourceURLs"] != nil }).map
        {
            ["verbs": $0["verbs"] ?? [], "nonResourceURLs": $0["nonResourceURLs"] ?? []]
        }
        return [
            "resourceRules": .array(resourceRules), "nonResourceRules": .array(nonResourceRules), "incomplete": false,
        ]
    }
}
