import Clocks
import Coordination
import Foundation
import KubeEmulator
import KubernetesClient
import Transport

import struct KubernetesClient.ResourceType

/// The sharded test kind: `widgets.sharding.test/v1` Widget (namespaced, status subresource, any fields).
struct Widget: KubernetesResource, Hashable {
    static let resourceType = ResourceType(
        group: "sharding.test", version: "v1", plural: "widgets", kind: "Widget", isNamespaced: true)
    var apiVersion: String?
    var kind: String?
    var metadata: ObjectMeta
    var spec: JSON?
    var status: JSON?

    init(name: String, namespace: String = "apps", labels: [String: String]? = nil) {
        metadata = ObjectMeta(name: name, namespace: namespace, labels: labels)
        spec = ["size": 1]
    }
}

/// An opaque object of any kind the test installs (CRDs, RBAC, namespaces).
struct Opaque<Kind: OpaqueKind>: KubernetesResource {
    static var resourceType: ResourceType { Kind.resourceType }
    var apiVersion: String?
    var kind: String?
    var metadata: ObjectMeta
    var spec: JSON?
    var rules: JSON?
    var roleRef: JSON?
    var subjects: JSON?
}

protocol OpaqueKind: Sendable { static var resourceType: ResourceType { get } }
enum CRDKind: OpaqueKind {
    static let resourceType = ResourceType(
        group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions",
        kind: "CustomResourceDefinition", isNamespaced: false)
}
enum ClusterRoleKind: OpaqueKind {
    static let resourceType = ResourceType(
        group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterroles", kind: "ClusterRole",
        isNamespaced: false)
}
enum ClusterRoleBindingKind: OpaqueKind {
    static let resourceType = ResourceType(
        group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterrolebindings", kind: "ClusterRoleBinding",
        isNamespaced: false)
}
enum NamespaceKind: OpaqueKind {
    static let resourceType = ResourceType(
        group: "", version: "v1", plural: "namespaces", kind: "Namespace", isNamespaced: false)
}
enum StatefulSetKind: OpaqueKind {
    static let resourceType = StatefulSetReplicas.resourceType
}

/// One emulator with the Widget CRD, namespaces `ops` (Leases) and `apps` (Widgets), and clients per
/// replica, each with its own service-account token so faults can target it.
struct Harness: Sendable {
    let emulator: Emulator
    let admin: KubernetesClient

    static func make() async throws -> Harness {
        var configuration = Emulator.Configuration()
        configuration.controllers = .none
        let emulator = Emulator(configuration: configuration)
        let admin = client(emulator, token: emulator.adminToken, clock: ContinuousClock())
        let harness = Harness(emulator: emulator, admin: admin)
        try await harness.install()
        return harness
    }

    private func install() async throws {
        for name in ["ops", "apps"] {
            _ = try await admin.create(Opaque<NamespaceKind>(metadata: ObjectMeta(name: name)))
        }
        let crd: JSON = [
            "group": "sharding.test", "scope": "Namespaced",
            "names": ["plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"],
            "versions": [
                [
                    "name": "v1", "served": true, "storage": true, "subresources": ["status": [:]],
                    "schema": [
                        "openAPIV3Schema": [
                            "type": "object", "x-kubernetes-preserve-unknown-fields": true,
                        ]
                    ],
                ]
            ],
        ]
        _ = try await admin.create(Opaque<CRDKind>(metadata: ObjectMeta(name: "widgets.sharding.test"), spec: crd))
        _ = try await admin.create(
            Opaque<ClusterRoleKind>(
                metadata: ObjectMeta(name: "everything"),
                rules: [["apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]]]))
    }

    /// A client for the service account `name` (bound to every permission); faults can target
    /// ``identity(_:)``.
    func client<C: Clock>(for name: String, clock: C, timeout: Duration? = nil) async throws -> KubernetesClient
    where C.Duration == Duration {
        let token = await emulator.issueToken(serviceAccount: name, namespace: "ops")
        do {
            _ = try await admin.create(
                Opaque<ClusterRoleBindingKind>(
                    metadata: ObjectMeta(name: "everything-\(name)"),
                    roleRef: ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "everything"],
                    subjects: [["kind": "ServiceAccount", "name": .string(name), "namespace": "ops"]]))
        } catch .alreadyExists {
            // Bound before (a restarted pod).
        }
        return Self.client(emulator, token: token, clock: clock, timeout: timeout)
    }

    /// The identity whose requests faults of replica `name` target.
    func identity(_ name: String) -> Identity { .user("system:serviceaccount:ops:\(name)") }

    static func client<C: Clock>(_ emulator: Emulator, token: String, clock: C, timeout: Duration? = nil)
        -> KubernetesClient where C.Duration == Duration
    {
        var configuration = ClientConfiguration(
            server: Emulator.inProcessBaseURL, auth: BearerTokenAuth(token: token), namespace: "ops",
            flowControl: .init(qps: 10_000, burst: 10_000, maxRetries: 2, retryBaseDelay: .milliseconds(5)))
        if let timeout { configuration.timeouts.total = timeout }
        return KubernetesClient(configuration: configuration, transport: emulator.transport, clock: clock)
    }

    /// The Lease client of replica `name`, as production builds it (own limiter, timeout ≤ RD/2).
    func leaseClient<C: Clock>(for name: String, election: ElectionConfiguration, clock: C) async throws
        -> KubernetesClient where C.Duration == Duration
    {
        let base = try await client(for: name, clock: clock)
        return KubernetesClient.leaseClient(
            configuration: base.configuration, transport: emulator.transport, election: election, clock: clock)
    }

    func createWidgets(_ count: Int, prefix: String = "w") async throws {
        for index in 0..<count {
            _ = try await admin.create(Widget(name: "\(prefix)-\(index)"))
        }
    }

    func setReplicas(_ replicas: Int, statefulSet: String = "op") async throws {
        if let existing = try? await admin.get(StatefulSetReplicas.self, name: statefulSet, namespace: "ops") {
            let version = try ResourceVersion(of: existing)
            let _: StatefulSetReplicas = try await admin.patch(
                StatefulSetReplicas.self, name: statefulSet, namespace: "ops", at: version,
                merge: ["spec": ["replicas": .int(replicas)]])
            return
        }
        _ = try await admin.create(
            Opaque<StatefulSetKind>(
                metadata: ObjectMeta(name: statefulSet, namespace: "ops"),
                spec: [
                    "replicas": .int(replicas), "serviceName": .string(statefulSet),
                    "selector": ["matchLabels": ["app": .string(statefulSet)]],
                    "template": [
                        "metadata": ["labels": ["app": .string(statefulSet)]],
                        "spec": ["containers": [["name": "op", "image": "k8supdater:test"]]],
                    ],
                ]))
    }
}

/// Polls `condition` every 10 ms for at most `limit` (a failure guard, never a timing assertion).
func eventually(_ limit: Duration = .seconds(30), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now.advanced(by: limit)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}

extension TestClock<Duration> {
    /// Returns once some task is suspended in `sleep` on this clock (bounded).
    func waitForSleeper(maxYields: Int = 10_000) async {
        for _ in 0..<maxYields {
            do { try await checkSuspension() } catch { return }
        }
    }
}
