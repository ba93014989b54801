/// What a request path addresses.
enum RequestTarget: Sendable {
    case version
    case health
    case legacyRoot
    case groupList
    case group(String)
    case resourceList(group: String, version: String)
    case openAPIv2
    case openAPIv3Root
    case openAPIv3(group: String, version: String)
    case resource(ResourceRequest)

    /// A request for a resource collection or item.
    struct ResourceRequest: Sendable {
        var group: String
        var version: String
        var plural: String
        var namespace: String?
        var name: String?
        var subresource: String?
    }

    /// Parses a path; nil for anything the server does not serve.
    init?(path: String) {
        let segments = path.split(separator: "/").map(String.init)
        guard let first = segments.first else { return nil }
        switch first {
        case "version": self = .version
        case "healthz", "readyz", "livez": self = .health
        case "openapi":
            if segments.count == 2 && segments[1] == "v2" {
                self = .openAPIv2
            } else if segments.count == 2 && segments[1] == "v3" {
                self = .openAPIv3Root
            } else if segments.count == 4 && segments[1] == "v3" && segments[2] == "api" {
                self = .openAPIv3(group: "", version: segments[3])
            } else if segments.count == 5 && segments[1] == "v3" && segments[2] == "apis" {
                self = .openAPIv3(group: segments[3], version: segments[4])
            } else {
                return nil
            }
        case "api":
            if segments.count == 1 {
                self = .legacyRoot
                return
            }
            if segments.count == 2 {
                self = .resourceList(group: "", version: segments[1])
                return
            }
            guard let request = Self.resource(group: "", version: segments[1], rest: Array(segments.dropFirst(2)))
            else { return nil }
            self = .resource(request)
        case "apis":
            if segments.count == 1 {
                self = .groupList
                return
            }
            if segments.count == 2 {
                self = .group(segments[1])
                return
            }
            if segments.count == 3 {
                self = .resourceList(group: segments[1], version: segments[2])
                return
            }
            guard
                let request = Self.resource(
                    group: segments[1], version: segments[2], rest: Array(segments.dropFirst(3)))
            else { return nil }
            self = .resource(request)
        default:
            return nil
        }
    }

    private static func resource(group: String, version: String, rest: [String]) -> ResourceRequest? {
        var request = ResourceRequest(group: group, version: version, plural: "")
        var rest = rest
        let isNamespaceItself =
            group.isEmpty && rest.first == "namespaces"
            && (rest.count <= 2 || (rest.count == 3 && ["status", "finalize"].contains(rest[2])))
        if rest.first == "namespaces" && rest.count >= 3 && !isNamespaceItself {
            request.namespace = rest[1]
            rest = Array(rest.dropFirst(2))
        }
        guard !rest.isEmpty, rest.count <= 3 else { return nil }
        request.plural = rest[0]
        request.name = rest.count > 1 ? rest[1] : nil
        request.subresource = rest.count > 2 ? rest[2] : nil
        return request
    }
}
