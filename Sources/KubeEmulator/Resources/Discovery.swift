import Foundation
import Transport

/// `/version` and API discovery, both aggregated (`apidiscovery.k8s.io/v2`, chosen by the `Accept`
/// header) and legacy (`/api`, `/apis`, `/api/v1`, `/apis/{g}`, `/apis/{g}/{v}`). Built from the
/// registry on every request, so a new CRD shows up at once.
enum Discovery {
    static let aggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

    /// `minor` "32": the gcloud kubectl dispatcher runs `kubectl.1.32` from it.
    static let version: JSON = [
        "major": "1", "minor": "32", "gitVersion": "v1.32.4",
        "gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "clean",
        "buildDate": "2025-01-01T00:00:00Z", "goVersion": "go1.23.8", "compiler": "gc", "platform": "linux/amd64",
    ]

    static func respond(_ target: RequestTarget, request: EmulatorRequest, registry: ResourceRegistry) throws(APIError)
        -> EmulatorResponse
    {
        let aggregated = (request.headers["Accept"] ?? "").contains("as=APIGroupDiscoveryList")
        switch target {
        case .legacyRoot:
            if aggregated {
                return .json(200, aggregatedList(registry, core: true), contentType: aggregatedContentType)
            }
            return .json(
                200,
                [
                    "kind": "APIVersions", "versions": ["v1"],
                    "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"]],
                ])
        case .groupList:
            if aggregated {
                return .json(200, aggregatedList(registry, core: false), contentType: aggregatedContentType)
            }
            let groups = registry.groupVersions.filter { !$0.group.isEmpty }.map { apiGroup($0.group, $0.versions) }
            return .json(200, ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups)])
        case .group(let name):
            guard let entry = registry.groupVersions.first(where: { $0.group == name && !name.isEmpty }) else {
                throw APIError.unknownPath
            }
            return .json(200, apiGroup(entry.group, entry.versions))
        case .resourceList(let group, let version):
            let types = registry.all.filter { $0.group == group && $0.version == version }
            guard !types.isEmpty else { throw APIError.unknownPath }
            var resources: [JSON] = []
            for type in types {
                var entry: JSON = [
                    "name": .string(type.plural), "singularName": .string(type.singular),
                    "namespaced": .bool(type.namespaced), "kind": .string(type.kind),
                    "verbs": .array(type.verbs.map { .string($0) }),
                ]
                if !type.shortNames.isEmpty { entry["shortNames"] = .array(type.shortNames.map { .string($0) }) }
                if !type.categories.isEmpty { entry["categories"] = .array(type.categories.map { .string($0) }) }
                resources.append(entry)
                if type.statusSubresource {
                    resources.append([
                        "name": .string("\(type.plural)/status"), "singularName": "",
                        "namespaced": .bool(type.namespaced), "kind": .string(type.kind),
                        "verbs": ["get", "patch", "update"],
                    ])
                }
                if type.scale != nil {
                    resources.append([
                        "name": .string("\(type.plural)/scale"), "singularName": "",
                        "namespaced": .bool(type.namespaced), "group": "autoscaling", "version": "v1", "kind": "Scale",
                        "verbs": ["get", "patch", "update"],
                    ])
                }
            }
            return .json(
                200,
                [
                    "kind": "APIResourceList", "apiVersion": "v1",
                    "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"),
                    "resources": .array(resources),
                ])
        default:
            throw APIError.unknownPath
        }
    }

    private static func apiGroup(_ group: String, _ versions: [String]) -> JSON {
        let entries: [JSON] = versions.map { ["groupVersion": .string("\(group)/\($0)"), "version": .string($0)] }
        return [
            "kind": "APIGroup", "apiVersion": "v1", "name": .string(group), "versions": .array(entries),
            "preferredVersion": entries.first ?? .null,
        ]
    }

    private static func aggregatedList(_ registry: ResourceRegistry, core: Bool) -> JSON {
        let items: [JSON] = registry.groupVersions.filter { $0.group.isEmpty == core }.map { entry in
            let versions: [JSON] = entry.versions.map { version in
                let resources: [JSON] = registry.all.filter { $0.group == entry.group && $0.version == version }.map(
                    aggregatedResource)
                return ["version": .string(version), "freshness": "Current", "resources": .array(resources)]
            }
            var metadata: JSON = ["creationTimestamp": .null]
            if !core { metadata["name"] = .string(entry.group) }
            return ["metadata": metadata, "versions": .array(versions)]
        }
        return [
            "kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": .emptyObject,
            "items": .array(items),
        ]
    }

    private static func aggregatedResource(_ type: ServedResource) -> JSON {
        let responseKind: JSON = [
            "group": .string(type.group), "version": .string(type.version), "kind": .string(type.kind),
        ]
        var subresources: [JSON] = []
        if type.statusSubresource {
            subresources.append([
                "subresource": "status", "responseKind": responseKind, "verbs": ["get", "patch", "update"],
            ])
        }
        if type.scale != nil {
            subresources.append([
                "subresource": "scale", "responseKind": ["group": "autoscaling", "version": "v1", "kind": "Scale"],
                "verbs": ["get", "patch", "update"],
            ])
        }
        var entry: JSON = [
            "resource": .string(type.plural), "singularResource": .string(type.singular),
            "scope": .string(type.namespaced ? "Namespaced" : "Cluster"), "responseKind": responseKind,
            "verbs": .array(type.verbs.map { .string($0) }),
        ]
        if !type.shortNames.isEmpty { entry["shortNames"] = .array(type.shortNames.map { .string($0) }) }
        if !type.categories.isEmpty { entry["categories"] = .array(type.categories.map { .string($0) }) }
        if !subresources.isEmpty { entry["subresources"] = .array(subresources) }
        return entry
    }
}
