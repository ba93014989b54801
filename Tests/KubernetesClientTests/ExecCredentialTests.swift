import Clocks
import Foundation
import KubernetesClient
import TestSupport
import Testing
import Transport

@Suite("exec credential plugins", .requires(.executable("sh")))
struct ExecCredentialTests {
    /// A plugin that counts its runs, records its environment, and prints a token `tok-<run>`.
    static let plugin = """
        #!/bin/sh
        count=$(cat "$STATE/count" 2>/dev/null || echo 0)
        count=$((count + 1))
        echo "$count" > "$STATE/count"
        printf '%s' "$KUBERNETES_EXEC_INFO" > "$STATE/info"
        echo "$@" > "$STATE/args"
        printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",'
        printf '"status":{"token":"tok-%s","expirationTimestamp":"%s"}}' "$count" "$EXPIRY"
        """

    static func kubeconfig(dir: TemporaryDirectory, expiry: String, command: String = "./plugin.sh") throws -> String {
        try dir.write("plugin.sh", plugin, executable: true)
        return try dir.write(
            "config",
            """
            current-context: c
            clusters: [{name: k, cluster: {server: "https://eks.example", certificate-authority-data: "Q0E="}}]
            contexts: [{name: c, context: {cluster: k, user: u}}]
            users:
            - name: u
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: \(command)
                  args: [token, --cluster, demo]
                  env: [{name: STATE, value: "\(dir.path)"}, {name: EXPIRY, value: "\(expiry)"}]
                  provideClusterInfo: true
                  installHint: install the demo plugin
            """)
    }

    @Test("runs the plugin with its args, env and KUBERNETES_EXEC_INFO, and caches the credential")
    func runsAndCaches() async throws {
        try SystemTool.require("sh")
        let dir = try TemporaryDirectory(prefix: "k8supdater-client")
        let file = try Self.kubeconfig(dir: dir, expiry: "2999-01-01T00:00:00Z")
        let config = try KubeConfigLoader(environment: ["KUBECONFIG": file, "PATH": "/usr/bin:/bin"])
            .load(clock: TestClock())
        #expect(try await config.auth.credentials().authorization == "Bearer tok-1")
        #expect(try await config.auth.credentials().authorization == "Bearer tok-1")
        #expect(dir.read("count")?.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        #expect(dir.read("args")?.trimmingCharacters(in: .whitespacesAndNewlines) == "token --cluster demo")
        let info = try JSONSerialization.jsonObject(with: Data((dir.read("info") ?? "").utf8)) as? [String: Any]
        #expect(info?["apiVersion"] as? String == "client.authentication.k8s.io/v1")
        #expect(info?["kind"] as? String == "ExecCredential")
        let spec = info?["spec"] as? [String: Any]
        #expect(spec?["interactive"] as? Bool == false)
        #expect((spec?["cluster"] as? [String: Any])?["server"] as? String == "https://eks.example")
    }

    @Test("an expired credential makes the next request run the plugin again")
    func expiry() async throws {
        try SystemTool.require("sh")
        let dir = try TemporaryDirectory(prefix: "k8supdater-client")
        try dir.write("plugin.sh", Self.plugin, executable: true)
        let now = Date()
        let config = ExecPluginConfig(
            command: dir.path + "/plugin.sh",
            env: [.init(name: "STATE", value: dir.path), .init(name: "EXPIRY", value: "2020-01-01T00:00:00Z")])
        let auth = ExecCredentialAuth(config: config, cluster: nil, environment: [:], now: { now })
        #expect(try await auth.credentials().authorization == "Bearer tok-1")
        #expect(try await auth.credentials().authorization == "Bearer tok-2")
    }

    @Test("a 401 re-runs the plugin and the request is retried once with the new token")
    func rerunOn401() async throws {
        try SystemTool.require("sh")
        let dir = try TemporaryDirectory(prefix: "k8supdater-client")
        let file = try Self.kubeconfig(dir: dir, expiry: "2999-01-01T00:00:00Z")
        var config = try KubeConfigLoader(environment: ["KUBECONFIG": file]).load(clock: TestClock())
        config.server = Wire.server
        let unauthorized = #"{"kind":"Status","status":"Failure","reason":"Unauthorized","code":401}"#
        let transport = ScriptedTransport([
            .init(
                .get, "/api/v1/namespaces/default/pods/p", headers: ["Authorization": "Bearer tok-1"],
                reply: .json(unauthorized, status: 401)),
            .init(
                .get, "/api/v1/namespaces/default/pods/p", headers: ["Authorization": "Bearer tok-2"],
                reply: .json(#"{"metadata":{"name":"p"}}"#)),
        ])
        let client = KubernetesClient(configuration: config, transport: transport)
        #expect(try await client.get(Pod.self, name: "p").metadata.name == "p")
        transport.verify()
    }

    @Test("a failing plugin is a configuration error with its stderr; a missing one shows the install hint")
    func failures() async throws {
        try SystemTool.require("sh")
        let dir = try TemporaryDirectory(prefix: "k8supdater-client")
        try dir.write("fail.sh", "#!/bin/sh\necho 'token expired, run login' >&2\nexit 3\n", executable: true)
        let failing = ExecCredentialAuth(
            config: ExecPluginConfig(command: dir.path + "/fail.sh"), cluster: nil, environment: [:])
        await #expect {
            _ = try await failing.credentials()
        } throws: { error in
            "\(error)".contains("status 3") && "\(error)".contains("token expired, run login")
        }
        let missing = ExecCredentialAuth(
            config: ExecPluginConfig(command: "k8supdater-no-such-plugin", installHint: "brew install it"),
            cluster: nil, environment: ["PATH": "/usr/bin:/bin"])
        await #expect {
            _ = try await missing.credentials()
        } throws: { error in
            "\(error)".contains("brew install it")
        }
        try dir.write("junk.sh", "#!/bin/sh\necho not json\n", executable: true)
        let junk = ExecCredentialAuth(
            config: ExecPluginConfig(command: dir.path + "/junk.sh"), cluster: nil, environment: [:])
        await #expect(throws: KubernetesError.self) { _ = try await junk.credentials() }
    }
}
