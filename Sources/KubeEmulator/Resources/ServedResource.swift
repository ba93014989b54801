/// What the emulator knows about one served resource (one group/version/plural).
///
/// Built-in kinds come from ``ServedResource/builtIns``; CRD-served kinds are derived from a stored
/// CustomResourceDefinition (``ServedResource/init(crd:version:)``).
package struct ServedResource: Sendable, Hashable {
    /// A column of server-side Tables (`additionalPrinterColumns` for CRDs).
    package struct PrinterColumn: Sendable, Hashable {
        package var name: String
        package var type: String
        package var format: String
        package var description: String
        package var priority: Int
        /// A simple JSONPath (`.spec.replicas`), or a built-in computed column key starting with `@`.
        package var jsonPath: String

        package init(
            name: String, type: String = "string", format: String = "", description: String = "", priority: Int = 0,
            jsonPath: String
        ) {
            self.name = name
            self.type = type
            self.format = format
            self.description = description
            self.priority = priority
            self.jsonPath = jsonPath
        }
    }

    /// Where the scale subresource reads and writes its parent.
    package struct ScaleSpec: Sendable, Hashable {
        package var specReplicasPath: String
        package var statusReplicasPath: String
        package var labelSelectorPath: String?
    }

    package var group: String
    package var version: String
    package var kind: String
    package var plural: String
    package var singular: String
    package var namespaced: Bool
    package var shortNames: [String] = []
    package var categories: [String] = []
    /// `<plural>/status` is served and isolates `.status` from main-resource writes.
    package var statusSubresource: Bool = false
    package var scale: ScaleSpec?
    /// `metadata.generation` is set and bumped on spec changes.
    package var tracksGeneration: Bool = false
    /// Built-in kinds accept strategic merge patch; custom resources answer 415.
    package var isBuiltIn: Bool = true
    /// The verbs discovery reports.
    package var verbs: [String] = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
    /// Server-side Table columns after `Name`; nil means the default `Created At`/`Age` column.
    package var printerColumns: [PrinterColumn]?
    /// The CRD's `openAPIV3Schema` for this version (validation, defaulting, pruning).
    package var schema: JSON?

    /// `group/version`, or `version` for the core group.
    package var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `plural.group`, or `plural` for the core group, as in error messages.
    package var qualifiedName: String { group.isEmpty ? plural : "\(plural).\(group)" }
    /// The storage identity shared by all versions of a resource.
    package var storageKey: String { sharedStorageKey ?? "\(group)/\(plural)" }
    /// Another resource whose store this one shares (events.k8s.io Events live in the core Event store).
    package var sharedStorageKey: String?
    package var listKind: String { "\(kind)List" }
}

extension ServedResource {
    static func builtIn(
        _ group: String, _ version: String, _ kind: String, _ plural: String, namespaced: Bool = true,
        shortNames: [String] = [], categories: [String] = [], status: Bool = false, scale: Bool = false,
        generation: Bool = false, columns: [PrinterColumn]? = nil
    ) -> ServedResource {
        var type = ServedResource(
            group: group, version: version, kind: kind, plural: plural, singular: kind.lowercased(),
            namespaced: namespaced)
        type.shortNames = shortNames
        type.categories = categories
        type.statusSubresource = status
        type.tracksGeneration = generation
        type.printerColumns = columns
        if scale {
            type.scale = ScaleSpec(
                specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas",
                labelSelectorPath: ".spec.selector")
        }
        return type
    }

    /// The built-in kinds the emulator serves.
    package static let builtIns: [ServedResource] =
        [
            builtIn(
                "", "v1", "Namespace", "namespaces", namespaced: false, shortNames: ["ns"], status: true,
                columns: [
                    .init(name: "Status", jsonPath: ".status.phase"),
                    .init(name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp"),
                ]),
            builtIn(
                "", "v1", "Pod", "pods", shortNames: ["po"], categories: ["all"], status: true,
                columns: [
                    .init(name: "Ready", jsonPath: "@podReady"), .init(name: "Status", jsonPath: ".status.phase"),
                    .init(name: "Restarts", type: "integer", jsonPath: "@podRestarts"),
                    .init(name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp"),
                    .init(name: "IP", priority: 1, jsonPath: ".status.podIP"),
                    .init(name: "Node", priority: 1, jsonPath: ".spec.nodeName"),
                ]),
            builtIn(
                "", "v1", "Secret", "secrets",
                columns: [
                    .init(name: "Type", jsonPath: ".type"),
                    .init(name: "Data", type: "integer", jsonPath: "@dataCount"),
                    .init(name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp"),
                ]),
            builtIn(
                "", "v1", "ConfigMap", "configmaps", shortNames: ["cm"],
                columns: [
                    .init(name: "Data", type: "integer", jsonPath: "@dataCount"),
                    .init(name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp"),
                ]),
            builtIn(
                "", "v1", "ServiceAccount", "serviceaccounts", shortNames: ["sa"],
                columns: [.init(name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp")]),
            builtIn(
                "", "v1", "Event", "events", shortNames: ["ev"],
                columns: [
                    .init(name: "Last Seen", type: "date", jsonPath: "@lastSeen"),
                    .init(name: "Type", jsonPath: ".type"), .init(name: "Reason", jsonPath: ".reason"),
                    .init(name: "Object", jsonPath: "@involvedObject"), .init(name: "Message", jsonPath: ".message"),
                ]),
            builtIn(
                "apps", "v1", "Deployment", "deployments", shortNames: ["deploy"], categories: ["all"], status: true,
                scale: true, generation: true,
                columns: [
                    .init(name: "Ready", jsonPath: "@readyOfDesired"),
                    .init(name: "Up-to-date", type: "integer", jsonPath: "@int:.status.updatedReplicas"),
                    .init(name: "Available", type: "integer", jsonPath: "@int:.status.availableReplicas"),
                    .init(name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp"),
                    .init(name: "Containers", priority: 1, jsonPath: "@containerNames"),
                    .init(name: "Images", priority: 1, jsonPath: "@containerImages"),
                    .init(name: "Selector", priority: 1, jsonPath: "@selector"),
                ]),
            builtIn(
                "apps", "v1", "StatefulSet", "statefulsets", shortNames: ["sts"], categories: ["all"], status: true,
                scale: true, generation: true,
                columns: [
                    .init(name: "Ready", jsonPath: "@readyOfDesired"),
                    .init(name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp"),
                    .init(name: "Containers", priority: 1, jsonPath: "@containerNames"),
                    .init(name: "Images", priority: 1, jsonPath: "@containerImages"),
                ]),
            builtIn(
                "coordination.k8s.io", "v1", "Lease", "leases",
                columns: [
                    .init(name: "Holder", jsonPath: ".spec.holderIdentity"),
                    .init(name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp"),
                ]),
            {
                var events = builtIn(
                    "events.k8s.io", "v1", "Event", "events", shortNames: ["ev"],
                    columns: [
                        .init(name: "Last Seen", type: "date", jsonPath: "@lastSeen"),
                        .init(name: "Type", jsonPath: ".type"), .init(name: "Reason", jsonPath: ".reason"),
                        .init(name: "Object", jsonPath: "@regarding"), .init(name: "Note", jsonPath: ".note"),
                    ])
                events.sharedStorageKey = "/events"
                return events
            }(),
            builtIn(
                "apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions",
                namespaced: false,
                shortNames: ["crd", "crds"], categories: ["api-extensions"], status: true, generation: true),
            builtIn(
                "rbac.authorization.k8s.io", "v1", "Role", "roles",
                columns: [.init(name: "Created At", type: "date", jsonPath: ".metadata.creationTimestamp")]),
            builtIn(
                "rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", namespaced: false,
                columns: [.init(name: "Created At", type: "date", jsonPath: ".metadata.creationTimestamp")]),
            builtIn(
                "rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings",
                columns: [
                    .init(name: "Role", jsonPath: "@roleRef"),
                    .init(name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp"),
                ]),
            builtIn(
                "rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", namespaced: false,
                columns: [
                    .init(name: "Role", jsonPath: "@roleRef"),
                    .init(name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp"),
                ]),
        ] + clusterKinds + reviewKinds
}
