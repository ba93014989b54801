/// The built-in kinds of a cluster's everyday surface beyond the operator's own: ReplicaSets,
/// Services, PodDisruptionBudgets, Nodes, and the create-only review kinds (never stored).
extension ServedResource {
    static let clusterKinds: [ServedResource] = [
        builtIn(
            "apps", "v1", "ReplicaSet", "replicasets", shortNames: ["rs"], categories: ["all"], status: true,
            scale: true, generation: true,
            columns: [
                .init(name: "Desired", type: "integer", jsonPath: "@int:.spec.replicas"),
                .init(name: "Current", type: "integer", jsonPath: "@int:.status.replicas"),
                .init(name: "Ready", type: "integer", jsonPath: "@int:.status.readyReplicas"),
                .init(name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp"),
                .init(name: "Containers", priority: 1, jsonPath: "@containerNames"),
                .init(name: "Images", priority: 1, jsonPath: "@containerImages"),
                .init(name: "Selector", priority: 1, jsonPath: "@selector"),
            ]),
        builtIn(
            "", "v1", "Service", "services", shortNames: ["svc"], categories: ["all"], status: true,
            columns: [
                .init(name: "Type", jsonPath: ".spec.type"), .init(name: "Cluster-IP", jsonPath: "@clusterIP"),
                .init(name: "External-IP", jsonPath: "@externalIPs"), .init(name: "Port(s)", jsonPath: "@servicePorts"),
                .init(name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp"),
                .init(name: "Selector", priority: 1, jsonPath: "@serviceSelector"),
            ]),
        builtIn(
            "policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", shortNames: ["pdb"], status: true,
            generation: true,
            columns: [
                .init(name: "Min Available", jsonPath: "@pdbMinAvailable"),
                .init(name: "Max Unavailable", jsonPath: "@pdbMaxUnavailable"),
                .init(name: "Allowed Disruptions", type: "integer", jsonPath: "@int:.status.disruptionsAllowed"),
                .init(name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp"),
            ]),
        builtIn(
            "", "v1", "Node", "nodes", namespaced: false, shortNames: ["no"], status: true,
            columns: [
                .init(name: "Status", jsonPath: "@nodeStatus"), .init(name: "Roles", jsonPath: "@nodeRoles"),
                .init(name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp"),
                .init(name: "Version", jsonPath: ".status.nodeInfo.kubeletVersion"),
                .init(name: "Internal-IP", priority: 1, jsonPath: "@nodeInternalIP"),
                .init(name: "OS-Image", priority: 1, jsonPath: ".status.nodeInfo.osImage"),
                .init(name: "Kernel-Version", priority: 1, jsonPath: ".status.nodeInfo.kernelVersion"),
                .init(name: "Container-Runtime", priority: 1, jsonPath: ".status.nodeInfo.containerRuntimeVersion"),
            ]),
    ]

    /// Kinds that only answer a POST with the object and its computed status (authorization and
    /// authentication reviews), as kube-apiserver serves them.
    static let reviewKinds: [ServedResource] = [
        review("authorization.k8s.io", "SelfSubjectAccessReview", "selfsubjectaccessreviews"),
        review("authorization.k8s.io", "SelfSubjectRulesReview", "selfsubjectrulesreviews"),
        review("authorization.k8s.io", "SubjectAccessReview", "subjectaccessreviews"),
        review("authorization.k8s.io", "LocalSubjectAccessReview", "localsubjectaccessreviews", namespaced: true),
        review("authentication.k8s.io", "SelfSubjectReview", "selfsubjectreviews"),
        review("authentication.k8s.io", "TokenReview", "tokenreviews"),
    ]

    private static func review(_ group: String, _ kind: String, _ plural: String, namespaced: Bool = false)
        -> ServedResource
    {
        var type = builtIn(group, "v1", kind, plural, namespaced: namespaced)
        type.verbs = ["create"]
        return type
    }

    /// Whether the kind is one of ``reviewKinds`` (answered, never stored).
    var isReview: Bool { verbs == ["create"] && ["authorization.k8s.io", "authentication.k8s.io"].contains(group) }
}
