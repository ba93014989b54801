import Foundation
import KubeEmulator
import KubernetesClient
import Testing
import Updater
import VersioningAPI
import Yams

/// An emulator with the product CRD and one VersioningHandler, and clients for "replicas".
struct NotifyEmulatorFixture {
    static let handler = Finding.ObjectName(namespace: "default", name: "nginx-checker")
    static let deployment = Finding.ObjectName(namespace: "default", name: "nginx-deployment")
    /// 2026-11-25 16:00:00 UTC.
    static let time = Date(timeIntervalSince1970: 1_795_622_400)
    static let crdPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("yamls/crd/versioninghandlers.yaml").path

    let emulator: Emulator

    /// Installs the CRD from `yamls/crd` and creates the handler.
    static func make() async throws -> NotifyEmulatorFixture {
        let emulator = Emulator()
        let yaml = try String(contentsOfFile: crdPath, encoding: .utf8)
        let loaded = try #require(try Yams.load(yaml: yaml))
        let crd = try JSON(parsing: try JSONSerialization.data(withJSONObject: loaded))
        let crdType = try #require(
            await emulator.lookup(group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions"))
        _ = try await emulator.create(crdType, namespace: nil, body: crd)
        let fixture = NotifyEmulatorFixture(emulator: emulator)
        _ = try await fixture.client().create(
            VersioningHandler(
                metadata: ObjectMeta(name: handler.name, namespace: handler.namespace),
                spec: .init(deployment: deployment.name, containerregistry: "dockerhub")))
        return fixture
    }

    /// A client as one replica would have it (its own connection to the API server).
    func client() -> KubernetesClient {
        KubernetesClient(
            configuration: ClientConfiguration(
                server: Emulator.inProcessBaseURL, auth: BearerTokenAuth(token: emulator.adminToken),
                namespace: "default"),
            transport: emulator.transport)
    }

    /// Every Event in the handler's namespace.
    func events() async throws -> [KubernetesEvent] {
        try await client().list(KubernetesEvent.self, in: .named(Self.handler.namespace)).items
    }

    /// The handler's `status.notified`, as stored.
    func notified() async throws -> [VersioningHandler.NotificationRecord] {
        try await client().get(VersioningHandler.self, name: Self.handler.name, namespace: Self.handler.namespace)
            .status?.notified ?? []
    }

    static func finding(
        _ outcome: Finding.Outcome, container: String = "web", current: String = "1.2.0", at: Date = time
    ) -> Finding {
        Finding(
            handler: handler, deployment: deployment, container: container, image: "nginx", currentTag: current,
            newestAllowed: "1.3.0", newestOverall: "2.0.0", outcome: outcome, observedAt: at)
    }
}
