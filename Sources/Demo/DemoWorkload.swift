/// One application of the demo: a Deployment of one container and the VersioningHandler (same name,
/// same namespace) that keeps its image up to date. Its repository in the registry is
/// `<namespace>/<name>`, seeded with `tags`; the Deployment runs the last one.
struct DemoWorkload: Sendable, Hashable {
    var namespace: String
    var name: String
    var tags: [String]
    /// Extra lines of the VersioningHandler's spec (per-object overrides).
    var extraSpec: [String] = []

    var repository: String { "\(namespace)/\(name)" }
    var runningTag: String { tags.last ?? "latest" }

    /// Two namespaces, nine applications. The StatefulSet's `VERSIONS_FRONTIER` is 2: a new patch is
    /// applied, a new minor or major only notified. `worker` runs `latest` with
    /// `spec.latestPreference: true`, so a rebuilt `latest` restarts it.
    static let all: [DemoWorkload] = [
        DemoWorkload(namespace: "shop", name: "web", tags: ["1.2.2", "1.2.3"]),
        DemoWorkload(namespace: "shop", name: "api", tags: ["1.3.9", "1.4.0"]),
        DemoWorkload(namespace: "shop", name: "cart", tags: ["2.0.0", "2.0.1"]),
        DemoWorkload(namespace: "shop", name: "catalog", tags: ["0.9.0", "1.0.0"]),
        DemoWorkload(namespace: "shop", name: "reviews", tags: ["3.2.1"]),
        DemoWorkload(namespace: "payments", name: "worker", tags: ["latest"], extraSpec: ["latestPreference: true"]),
        DemoWorkload(namespace: "payments", name: "ledger", tags: ["3.0.0", "3.1.0"]),
        DemoWorkload(namespace: "payments", name: "billing", tags: ["5.4.0"]),
        DemoWorkload(namespace: "payments", name: "fraud", tags: ["1.0.0", "1.1.0"]),
    ]

    static let namespaces = ["shop", "payments"]

    /// Checked every 10 s (`spec.refreshSeconds`, the minimum), so that the scenario moves quickly.
    static let refreshSeconds = 10

    /// The image the Deployment runs, in the registry at `registry` (`host:port`).
    func image(registry: String, tag: String? = nil) -> String {
        "\(registry)/\(repository):\(tag ?? runningTag)"
    }

    /// The Deployment and its VersioningHandler, as `kubectl apply -f` takes them.
    func manifest(registry: String) -> String {
        let spec =
            (["deployment: \(name)", "containerregistry: oci", "refreshSeconds: \(Self.refreshSeconds)"]
            + extraSpec).map { "  " + $0 }.joined(separator: "\n")
        return """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: \(name), namespace: \(namespace)}
            spec:
              replicas: 1
              selector: {matchLabels: {app: \(name)}}
              template:
                metadata: {labels: {app: \(name)}}
                spec:
                  containers:
                    - {name: app, image: "\(image(registry: registry))"}
            ---
            apiVersion: k8supdater.io/v1
            kind: VersioningHandler
            metadata: {name: \(name), namespace: \(namespace)}
            spec:
            \(spec)
            """
    }

    /// Every namespace and workload in one multi-document YAML.
    static func manifests(registry: String) -> String {
        (namespaces.map { "apiVersion: v1\nkind: Namespace\nmetadata: {name: \($0)}" }
            + all.map { $0.manifest(registry: registry) }).joined(separator: "\n---\n") + "\n"
    }

    /// A VersioningHandler whose Deployment does not exist: the broken object of the scenario.
    static let broken = """
        apiVersion: k8supdater.io/v1
        kind: VersioningHandler
        metadata: {name: ghost, namespace: payments}
        spec: {deployment: ghost, containerregistry: oci, refreshSeconds: \(refreshSeconds)}

        """
}
