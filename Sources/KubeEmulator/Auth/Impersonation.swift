import Transport

extension Emulator {
    /// Applies `Impersonate-User` / `Impersonate-Group`, as kube-apiserver's impersonation filter: the
    /// requester needs the `impersonate` verb on `users` (or the ServiceAccount) and on each `groups`
    /// (the admin identity may always). The request then acts as that user with the given groups plus
    /// `system:authenticated`; a ServiceAccount impersonated without groups gets its usual groups.
    ///
    /// - Returns: the effective identity and groups (nil groups: those authentication gives).
    /// - Throws: ``APIError`` 403 when the requester may not impersonate, 400 for groups without a user.
    func impersonate(_ identity: Identity, headers: HTTPHeaders) throws(APIError) -> (
        identity: Identity, groups: Set<String>?
    ) {
        let user = headers["Impersonate-User"]
        let groups = headers.fields.filter { $0.name.lowercased() == "impersonate-group" }.map(\.value)
        guard user != nil || !groups.isEmpty else { return (identity, nil) }
        guard let user, !user.isEmpty else {
            throw APIError.badRequest("requested \(groups) without impersonating a user")
        }
        if case .user(let requester) = identity {
            var checks: [(String, ResourceAttributes)] = []
            let parts = user.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            if parts.count == 4, parts[0] == "system", parts[1] == "serviceaccount" {
                checks.append(
                    (
                        "serviceaccounts \"\(parts[3])\"",
                        ResourceAttributes(
                            verb: "impersonate", group: "", resource: "serviceaccounts", namespace: parts[2],
                            name: parts[3])
                    ))
            } else {
                checks.append(
                    (
                        "users \"\(user)\"",
                        ResourceAttributes(
                            verb: "impersonate", group: "", resource: "users", namespace: nil, name: user)
                    ))
            }
            for group in groups {
                checks.append(
                    (
                        "groups \"\(group)\"",
                        ResourceAttributes(
                            verb: "impersonate", group: "", resource: "groups", namespace: nil, name: group)
                    ))
            }
            for (subject, attributes) in checks
            where authorizingBinding(user: requester, groups: Self.groups(of: requester), attributes) == nil {
                let scope = attributes.namespace.map { "in the namespace \"\($0)\"" } ?? "at the cluster scope"
                throw APIError(
                    code: 403, reason: "Forbidden",
                    message: "\(subject) is forbidden: User \"\(requester)\" cannot impersonate resource "
                        + "\"\(attributes.resource)\" in API group \"\" \(scope)")
            }
        }
        var effective = Set(groups)
        if groups.isEmpty {
            effective = Self.groups(of: user)
        } else {
            effective.insert("system:authenticated")
        }
        return (.user(user), effective)
    }
}
