/// RBAC: Roles, ClusterRoles, RoleBindings and ClusterRoleBindings stored in the emulator decide what a
/// user may do, as kube-apiserver's RBAC authorizer. The admin identity and the `system:masters` group
/// bypass it. The same evaluator answers requests, access reviews and rules reviews.
extension Emulator {
    /// One request's attributes, as a SubjectAccessReview's `resourceAttributes` carry them.
    package struct ResourceAttributes: Sendable, Hashable {
        package var verb: String
        package var group: String
        /// `plural` or `plural/subresource`.
        package var resource: String
        /// nil: cluster scope (or all namespaces).
        package var namespace: String?
        package var name: String?

        package init(verb: String, group: String, resource: String, namespace: String?, name: String?) {
            self.verb = verb
            self.group = group
            self.resource = resource
            self.namespace = namespace
            self.name = name
        }
    }

    /// Whether `user` (`system:serviceaccount:<ns>:<name>` or a user name) may perform `verb` on
    /// `resource` (`plural` or `plural/subresource`) of `group`, in `namespace` (nil: cluster scope), on
    /// `name`. `groups` nil means the groups authentication gives the user.
    package func authorize(
        user: String, groups: Set<String>? = nil, verb: String, group: String, resource: String, namespace: String?,
        name: String?
    ) -> Bool {
        authorizingBinding(
            user: user, groups: groups ?? Self.groups(of: user),
            ResourceAttributes(verb: verb, group: group, resource: resource, namespace: namespace, name: name)) != nil
    }

    /// The binding and role that allow a request (`RBAC: allowed by …`), or nil when nothing does.
    func authorizingBinding(user: String, groups: Set<String>, _ attributes: ResourceAttributes) -> String? {
        if groups.contains("system:masters") { return "RBAC: allowed by the system:masters group" }
        for (binding, role, rules) in boundRules(user: user, groups: groups, namespace: attributes.namespace)
        where rules.contains(where: { Self.allows($0, attributes) }) {
            return "RBAC: allowed by \(binding) of \(role)"
        }
        return nil
    }

    /// Every rule bound to the user in `namespace` (cluster-wide bindings always; RoleBindings of the
    /// namespace when given), with a description of the binding and role.
    func boundRules(user: String, groups: Set<String>, namespace: String?) -> [(
        binding: String, role: String, rules: [JSON]
    )] {
        func bound(_ binding: JSON) -> Bool {
            for subject in binding["subjects"]?.arrayValue ?? [] {
                let kind = subject["kind"]?.stringValue ?? ""
                let subjectName = subject["name"]?.stringValue ?? ""
                switch kind {
                case "ServiceAccount":
                    let subjectNamespace = subject["namespace"]?.stringValue ?? binding.namespace ?? ""
                    if user == "system:serviceaccount:\(subjectNamespace):\(subjectName)" { return true }
                case "User": if user == subjectName { return true }
                case "Group": if groups.contains(subjectName) { return true }
                default: break
                }
            }
            return false
        }
        func rules(_ roleRef: JSON, bindingNamespace: String?) -> (String, [JSON]) {
            let roleName = roleRef["name"]?.stringValue ?? ""
            switch roleRef["kind"]?.stringValue {
            case "ClusterRole":
                return (
                    "ClusterRole \"\(roleName)\"",
                    objects["rbac.authorization.k8s.io/clusterroles"]?[roleName]?["rules"]?.arrayValue ?? []
                )
            case "Role":
                guard let bindingNamespace else { return ("", []) }
                return (
                    "Role \"\(roleName)\"",
                    objects["rbac.authorization.k8s.io/roles"]?["\(bindingNamespace)/\(roleName)"]?["rules"]?
                        .arrayValue ?? []
                )
            default:
                return ("", [])
            }
        }
        var result: [(binding: String, role: String, rules: [JSON])] = []
        for binding in (objects["rbac.authorization.k8s.io/clusterrolebindings"] ?? [:]).values.sorted(by: {
            $0.name < $1.name
        }) where bound(binding) {
            let (role, list) = rules(binding["roleRef"] ?? .null, bindingNamespace: nil)
            result.append(("ClusterRoleBinding \"\(binding.name)\"", role, list))
        }
        guard let namespace else { return result }
        for binding in (objects["rbac.authorization.k8s.io/rolebindings"] ?? [:]).values.sorted(by: {
            $0.name < $1.name
        }) where binding.namespace == namespace && bound(binding) {
            let (role, list) = rules(binding["roleRef"] ?? .null, bindingNamespace: namespace)
            result.append(("RoleBinding \"\(binding.name)/\(namespace)\"", role, list))
        }
        return result
    }

    static func allows(_ rule: JSON, _ attributes: ResourceAttributes) -> Bool {
        let verbs = rule["verbs"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let apiGroups = rule["apiGroups"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let resources = rule["resources"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let names = rule["resourceNames"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let resource = attributes.resource
        let parts = resource.split(separator: "/", maxSplits: 1).map(String.init)
        let base = parts.first ?? resource
        let sub = parts.count > 1 ? parts[1] : nil
        guard verbs.contains("*") || verbs.contains(attributes.verb) else { return false }
        guard apiGroups.contains("*") || apiGroups.contains(attributes.group) else { return false }
        let resourceMatches =
            resources.contains("*") || resources.contains(resource)
            || (sub != nil && resources.contains("\(base)/*")) || (sub.map { resources.contains("*/\($0)") } ?? false)
        guard resourceMatches else { return false }
        if !names.isEmpty {
            guard let name = attributes.name else { return false }
            return names.contains(name)
        }
        return true
    }

    /// Whether a rule allows a non-resource request (`/healthz`, `/api/*` …).
    static func allowsNonResource(_ rule: JSON, verb: String, path: String) -> Bool {
        let verbs = rule["verbs"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let urls = rule["nonResourceURLs"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard verbs.contains("*") || verbs.contains(verb) else { return false }
        return urls.contains { $0 == "*" || $0 == path || ($0.hasSuffix("*") && path.hasPrefix($0.dropLast())) }
    }

    /// The groups authentication gives a user: `system:authenticated`, plus `system:serviceaccounts`
    /// and `system:serviceaccounts:<ns>` for a ServiceAccount.
    static func groups(of user: String) -> Set<String> {
        var groups: Set<String> = ["system:authenticated"]
        let parts = user.split(separator: ":")
        if parts.count == 4, parts[0] == "system", parts[1] == "serviceaccount" {
            groups.insert("system:serviceaccounts")
            groups.insert("system:serviceaccounts:\(parts[2])")
        }
        return groups
    }
}
