/// RBAC: Roles, ClusterRoles, RoleBindings and ClusterRoleBindings stored in the emulator decide what a
/// ServiceAccount identity may do, as kube-apiserver's RBAC authorizer. The admin identity bypasses it.
extension Emulator {
    /// Whether `user` (`system:serviceaccount:<ns>:<name>`) may perform `verb` on `resource`
    /// (`plural` or `plural/subresource`) of `group`, in `namespace` (nil: cluster scope), on `name`.
    package func authorize(
        user: String, verb: String, group: String, resource: String, namespace: String?, name: String?
    ) -> Bool {
        let groups = Self.groups(of: user)
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
        func rules(_ roleRef: JSON, bindingNamespace: String?) -> [JSON] {
            let roleName = roleRef["name"]?.stringValue ?? ""
            switch roleRef["kind"]?.stringValue {
            case "ClusterRole":
                return objects["rbac.authorization.k8s.io/clusterroles"]?[roleName]?["rules"]?.arrayValue ?? []
            case "Role":
                guard let bindingNamespace else { return [] }
                return objects["rbac.authorization.k8s.io/roles"]?["\(bindingNamespace)/\(roleName)"]?["rules"]?
                    .arrayValue ?? []
            default:
                return []
            }
        }
        func allows(_ rule: JSON) -> Bool {
            let verbs = rule["verbs"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let apiGroups = rule["apiGroups"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let resources = rule["resources"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let names = rule["resourceNames"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let base = resource.split(separator: "/").first.map(String.init) ?? resource
            let sub = resource.contains("/") ? String(resource.split(separator: "/")[1]) : nil
            guard verbs.contains("*") || verbs.contains(verb) else { return false }
            guard apiGroups.contains("*") || apiGroups.contains(group) else { return false }
            let resourceMatches =
                resources.contains("*") || resources.contains(resource)
                || (sub != nil && resources.contains("\(base)/*")) || (sub != nil && resources.contains("*/\(sub!)"))
            guard resourceMatches else { return false }
            if !names.isEmpty {
                guard let name else { return false }
                return names.contains(name)
            }
            return true
        }
        for binding in (objects["rbac.authorization.k8s.io/clusterrolebindings"] ?? [:]).values where bound(binding) {
            if rules(binding["roleRef"] ?? .null, bindingNamespace: nil).contains(where: allows) { return true }
        }
        guard let namespace else { return false }
        for binding in (objects["rbac.authorization.k8s.io/rolebindings"] ?? [:]).values
        where binding.namespace == namespace && bound(binding) {
            if rules(binding["roleRef"] ?? .null, bindingNamespace: namespace).contains(where: allows) { return true }
        }
        return false
    }

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
