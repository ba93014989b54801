import Clocks
import Foundation
import KubernetesClient
import TestSupport
import Testing
import Transport

@Suite("in-cluster configuration")
struct InClusterConfigTests {
    @Test("service host/port, CA, namespace and a token that rotates")
    func loads() async throws {
        let dir = try TemporaryDirectory(prefix: "k8supdater-client")
        try dir.write("token", "sa-token-1")
        try dir.write("ca.crt", "CA")
        try dir.write("namespace", "k8supdater\n")
        let clock = TestClock()
        let config = try InClusterConfig.load(
            environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"],
            paths: .init(directory: dir.path), clock: clock)
        #expect(config.server == "https://10.96.0.1:443")
        #expect(config.namespace == "k8supdater")
        #expect(config.tls.certificateAuthority == .file(dir.path + "/ca.crt"))
        #expect(try await config.auth.credentials().authorization == "Bearer sa-token-1")
        try dir.write("token", "sa-token-2")
        await clock.advance(by: .seconds(60))
        #expect(try await config.auth.credentials().authorization == "Bearer sa-token-2")
    }

    @Test("an IPv6 service host is bracketed")
    func ipv6() throws {
        let dir = try TemporaryDirectory(prefix: "k8supdater-client")
        try dir.write("token", "t")
        try dir.write("ca.crt", "CA")
        let config = try InClusterConfig.load(
            environment: ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "6443"],
            paths: .init(directory: dir.path), clock: TestClock())
        #expect(config.server == "https://[fd00::1]:6443")
        #expect(config.namespace == "default")
    }

    @Test(
        "bad environment values and missing files are named",
        arguments: [
            ([String: String](), "KUBERNETES_SERVICE_HOST"),
            (["KUBERNETES_SERVICE_HOST": "h", "KUBERNETES_SERVICE_PORT": "http"], "KUBERNETES_SERVICE_PORT"),
            (["KUBERNETES_SERVICE_HOST": "h", "KUBERNETES_SERVICE_PORT": "443"], "/token"),
        ])
    func errors(environment: [String: String], source: String) throws {
        let dir = try TemporaryDirectory(prefix: "k8supdater-client")
        #expect {
            _ = try InClusterConfig.load(
                environment: environment, paths: .init(directory: dir.path), clock: TestClock())
        } throws: { error in
            (error as? ConfigurationError)?.source.hasSuffix(source) == true
        }
    }

    @Test("a token file that cannot be re-read keeps the last token; a 401 forces a re-read")
    func tokenFileEdgeCases() async throws {
        let dir = try TemporaryDirectory(prefix: "k8supdater-client")
        let path = try dir.write("token", "one")
        let clock = TestClock()
        let auth = TokenFileAuth(path: path, refreshInterval: .seconds(60), clock: clock)
        #expect(try await auth.credentials().authorization == "Bearer one")
        try FileManager.default.removeItem(atPath: path)
        await clock.advance(by: .seconds(61))
        #expect(try await auth.credentials().authorization == "Bearer one")
        try dir.write("token", "two")
        #expect(await auth.invalidate())
        #expect(try await auth.credentials().authorization == "Bearer two")
        #expect(await auth.invalidate() == false)
    }
}

@Suite("configuration discovery")
struct ConfigurationDiscoveryTests {
    @Test("a kubeconfig wins over the in-cluster environment; without one the service account is used")
    func order() throws {
        let dir = try TemporaryDirectory(prefix: "k8supdater-client")
        let environment = ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443", "HOME": dir.path]
        #expect {
            _ = try ClientConfiguration.load(environment: environment, homeDirectory: dir.path, clock: TestClock())
        } throws: { error in
            (error as? ConfigurationError)?.source.hasSuffix("/token") == true
        }
        try dir.write(".kube/config", KubeConfigTests.first)
        let config = try ClientConfiguration.load(environment: environment, homeDirectory: dir.path, clock: TestClock())
        #expect(config.server == "https://first.example:6443")
    }
}
