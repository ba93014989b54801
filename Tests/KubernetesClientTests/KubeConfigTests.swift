import Clocks
import Foundation
import KubernetesClient
import TestSupport
import Testing
import Transport

@Suite("kubeconfig loading")
struct KubeConfigTests {
    static let first = """
        apiVersion: v1
        kind: Config
        current-context: ctx-a
        clusters:
        - name: c1
          cluster:
            server: https://first.example:6443
            certificate-authority-data: \(Data("CA-ONE".utf8).base64EncodedString())
            tls-server-name: kubernetes.default
        contexts:
        - name: ctx-a
          context: {cluster: c1, user: token-user, namespace: team-a}
        users:
        - name: token-user
          user: {token: abc123}
        """
    static let second = """
        apiVersion: v1
        kind: Config
        current-context: ctx-b
        clusters:
        - name: c1
          cluster: {server: https://ignored.example}
        - name: c2
          cluster:
            server: https://second.example
            certificate-authority: certs/ca.pem
            insecure-skip-tls-verify: true
        contexts:
        - name: ctx-b
          context: {cluster: c2, user: basic-user}
        - name: ctx-cert
          context: {cluster: c2, user: cert-user}
        - name: ctx-certdata
          context: {cluster: c2, user: certdata-user}
        users:
        - name: token-user
          user: {token: ignored}
        - name: basic-user
          user: {username: admin, password: hunter2}
        - name: cert-user
          user: {client-certificate: certs/client.pem, client-key: certs/client.key}
        - name: certdata-user
          user:
            client-certificate-data: \(Data("CERT".utf8).base64EncodedString())
            client-key-data: \(Data("KEY".utf8).base64EncodedString())
        """

    static func setUp() throws -> (TemporaryDirectory, KubeConfigLoader) {
        let dir = try TemporaryDirectory(prefix: "k8supdater-client")
        let one = try dir.write("one/config", first)
        let two = try dir.write("two/config", second)
        try dir.write("two/certs/ca.pem", "CA-TWO")
        try dir.write("two/certs/client.pem", "CERT")
        try dir.write("two/certs/client.key", "KEY")
        let missing = dir.path + "/missing/config"
        let loader = KubeConfigLoader(
            environment: ["KUBECONFIG": "\(one):\(missing):\(two)", "HOME": dir.path], homeDirectory: dir.path)
        return (dir, loader)
    }

    @Test("merged files: the first file wins per name and for current-context; missing files are skipped")
    func merged() async throws {
        let (dir, loader) = try Self.setUp()
        _ = dir
        let config = try loader.load(clock: TestClock())
        #expect(config.server == "https://first.example:6443")
        #expect(config.namespace == "team-a")
        #expect(config.tls.certificateAuthority == .bytes(Data("CA-ONE".utf8)))
        #expect(config.tls.serverName == "kubernetes.default")
        #expect(try await config.auth.credentials().authorization == "Bearer abc123")
    }

    @Test("an explicit context; relative paths resolve against the file that names them; basic auth")
    func explicitContext() async throws {
        let (dir, loader) = try Self.setUp()
        let config = try loader.load(context: "ctx-b", clock: TestClock())
        #expect(config.server == "https://second.example")
        #expect(config.namespace == "default")
        #expect(config.tls.insecureSkipVerify)
        #expect(config.tls.certificateAuthority == .file(dir.path + "/two/certs/ca.pem"))
        let expected = "Basic " + Data("admin:hunter2".utf8).base64EncodedString()
        #expect(try await config.auth.credentials().authorization == expected)
    }

    @Test("client certificates from files and from -data fields")
    func clientCertificates() throws {
        let (dir, loader) = try Self.setUp()
        let files = try loader.load(context: "ctx-cert", clock: TestClock())
        #expect(files.tls.clientCertificate == .file(dir.path + "/two/certs/client.pem"))
        #expect(files.tls.clientKey == .file(dir.path + "/two/certs/client.key"))
        let data = try loader.load(context: "ctx-certdata", clock: TestClock())
        #expect(data.tls.clientCertificate == .bytes(Data("CERT".utf8)))
        #expect(data.tls.clientKey == .bytes(Data("KEY".utf8)))
    }

    @Test("~/.kube/config is used when KUBECONFIG is unset")
    func homeConfig() throws {
        let dir = try TemporaryDirectory(prefix: "k8supdater-client")
        try dir.write(".kube/config", Self.first)
        let loader = KubeConfigLoader(environment: [:], homeDirectory: dir.path)
        #expect(try loader.load(clock: TestClock()).server == "https://first.example:6443")
    }

    @Test("a rotated tokenFile is picked up after the refresh interval")
    func tokenFileRotation() async throws {
        let dir = try TemporaryDirectory(prefix: "k8supdater-client")
        try dir.write("token", "first-token\n")
        let config = try dir.write(
            "config",
            """
            current-context: c
            clusters: [{name: k, cluster: {server: "https://k.example"}}]
            contexts: [{name: c, context: {cluster: k, user: u}}]
            users: [{name: u, user: {tokenFile: token}}]
            """)
        let clock = TestClock()
        let loaded = try KubeConfigLoader(environment: ["KUBECONFIG": config], homeDirectory: dir.path)
            .load(clock: clock)
        #expect(try await loaded.auth.credentials().authorization == "Bearer first-token")
        try dir.write("token", "second-token")
        #expect(try await loaded.auth.credentials().authorization == "Bearer first-token")
        await clock.advance(by: .seconds(61))
        #expect(try await loaded.auth.credentials().authorization == "Bearer second-token")
    }

    @Test(
        "errors name the file and the field",
        arguments: [
            ("current-context: nope\n", "nope", "contexts"),
            (
                "current-context: c\ncontexts: [{name: c, context: {cluster: gone}}]\n",
                "cluster \"gone\" does not exist", "contexts[c].context.cluster"
            ),
            (
                """
                current-context: c
                clusters: [{name: k, cluster: {server: "https://k", certificate-authority-data: "!!!"}}]
                contexts: [{name: c, context: {cluster: k}}]
                """, "base64", "clusters[k].cluster.certificate-authority-data"
            ),
            (
                """
                current-context: c
                clusters: [{name: k, cluster: {server: "https://k"}}]
                contexts: [{name: c, context: {cluster: k, user: u}}]
                users: [{name: u, user: {token: t, username: a, password: b}}]
                """, "more than one authentication method", "users[u].user"
            ),
            ("clusters: [{cluster: {server: x}}]\n", "missing", "clusters[0].name"),
            ("clusters: {not: [a list\n", "kubeconfig", nil),
        ])
    func errors(yaml: String, message: String, field: String?) throws {
        let dir = try TemporaryDirectory(prefix: "k8supdater-client")
        let file = try dir.write("config", yaml)
        let loader = KubeConfigLoader(environment: ["KUBECONFIG": file], homeDirectory: dir.path)
        #expect {
            _ = try loader.load(clock: TestClock())
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.source.contains(file) && error.field == field
                && error.description.contains(message)
        }
    }
}
