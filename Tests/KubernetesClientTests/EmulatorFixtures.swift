import Foundation
import KubeEmulator
import KubernetesClient
import Synchronization
import TestSupport
import Transport
import Yams

/// `apiextensions.k8s.io/v1` CustomResourceDefinition, carried opaquely (tests install CRDs with it).
struct CustomResourceDefinition: KubernetesResource {
    static let resourceType = ResourceType(
        group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions",
        kind: "CustomResourceDefinition", isNamespaced: false)
    var apiVersion: String?
    var kind: String?
    var metadata: ObjectMeta
    var spec: JSON
}

enum EmulatorFixture {
    /// The repository's VersioningHandler CRD (yamls/crd/versioninghandlers.yaml).
    static func versioningHandlerCRD() throws -> CustomResourceDefinition {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let yaml = try String(
            contentsOf: root.appendingPathComponent("yamls/crd/versioninghandlers.yaml"), encoding: .utf8)
        return try YAMLDecoder().decode(CustomResourceDefinition.self, from: yaml)
    }

    /// A client of `emulator` over `front` with the admin token, fast retries and small backoffs; the
    /// emulator's HTTP front runs for the duration of `body`.
    static func withClient<T: Sendable>(
        _ front: Emulator.Front, _ emulator: Emulator,
        _ body: @Sendable (KubernetesClient, RecordingTransport) async throws -> T
    ) async throws -> T {
        switch front {
        case .inProcess:
            let transport = RecordingTransport(emulator.transport)
            return try await body(client(Emulator.inProcessBaseURL, emulator, transport), transport)
        case .http:
            let curl = try CurlTransport()
            return try await emulator.withHTTPServer { baseURL in
                let transport = RecordingTransport(curl)
                return try await body(client(baseURL, emulator, transport), transport)
            }
        }
    }

    static func client(_ server: String, _ emulator: Emulator, _ transport: any HTTPTransport) -> KubernetesClient {
        KubernetesClient(
            configuration: ClientConfiguration(
                server: server, auth: BearerTokenAuth(token: emulator.adminToken), namespace: "default",
                flowControl: .init(qps: 1000, burst: 1000, maxRetries: 3, retryBaseDelay: .milliseconds(10))),
            transport: transport)
    }

    /// A watcher configuration that retries quickly (real time).
    static let fastWatch = WatcherConfiguration(
        pageSize: 3, watchTimeoutSeconds: 60,
        backoff: Backoff(initialDelay: .milliseconds(20), maxDelay: .milliseconds(200), jitter: 0.5))

    static func lease(_ name: String, holder: String = "a") -> Lease {
        Lease(metadata: ObjectMeta(name: name, namespace: "default"), spec: .init(holderIdentity: holder))
    }

    /// Polls `condition` every 10 ms for at most `limit` (a failure guard, never a timing assertion).
    static func eventually(_ limit: Duration = .seconds(20), _ condition: () async throws -> Bool) async rethrows
        -> Bool
    {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return try await condition()
    }
}
