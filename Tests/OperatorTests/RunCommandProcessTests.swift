import Foundation
import KubeEmulator
import KubernetesClient
import TestSupport
import Testing
import Transport
import Updater
import VersioningAPI
import Yams

/// Runs the built `k8supdater run` as a separate process (built next to the test bundle by
/// `swift build --build-tests`) against the emulator's HTTP front.
@Suite("k8supdater run, as a process")
struct RunCommandProcessTests {
    static func executable() throws -> URL {
        URL(fileURLWithPath: try BuiltProduct.path("k8supdater"))
    }

    /// A loopback TCP port that was free a moment ago.
    static func freePort() throws -> Int { try FreeLoopbackPort.next() }

    /// Polls `condition` every 50 ms for at most `limit` (a failure guard, never a timing assertion).
    static func eventually(_ limit: Duration = .seconds(60), _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return await condition()
    }

    static func create(_ emulator: Emulator, plural: String, group: String, version: String, object: Any)
        async throws
    {
        let type = try #require(await emulator.lookup(group: group, version: version, plural: plural))
        let body = try JSON(parsing: try JSONSerialization.data(withJSONObject: object))
        _ = try await emulator.create(type, namespace: nil, body: body)
    }

    static func temporaryFile(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("k8supdater-run-\(UUID()).yaml")
        try Data(text.utf8).write(to: url)
        return url
    }

    static func readyz(_ transport: CurlTransport, port: Int) async -> Int? {
        try? await OperatorHTTPServerTests.get(transport, "http://127.0.0.1:\(port)/readyz").0
    }

    @Test("runs against the emulator: Lease, shard label, status, /readyz; SIGTERM exits 0 and releases the Lease")
    func runsAndStopsGracefully() async throws {
        let emulator = Emulator()
        let yaml = try String(contentsOfFile: NotifyEmulatorFixture.crdPath, encoding: .utf8)
        try await Self.create(
            emulator, plural: "customresourcedefinitions", group: "apiextensions.k8s.io", version: "v1",
            object: try #require(try Yams.load(yaml: yaml)))
        try await Self.create(
            emulator, plural: "namespaces", group: "", version: "v1",
            object: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "k8supdater"]])
        let admin = KubernetesClient(
            configuration: ClientConfiguration(
                server: Emulator.inProcessBaseURL, auth: BearerTokenAuth(token: emulator.adminToken),
                namespace: "default"),
            transport: emulator.transport)
        try await emulator.withHTTPServer { baseURL in
            let kubeconfig = try Self.temporaryFile(emulator.kubeconfig(baseURL: baseURL, token: emulator.adminToken))
            defer { try? FileManager.default.removeItem(at: kubeconfig) }
            let port = try Self.freePort()
            let transport = try CurlTransport()
            let process = Process()
            process.executableURL = try Self.executable()
            process.arguments = [
                "run", "--kubeconfig", kubeconfig.path, "--lease-duration", "3s", "--renew-deadline", "2s",
                "--retry-period", "500ms", "--lease-grace", "2s", "--drain-timeout", "2s",
                "--metrics-address", "127.0.0.1:\(port)", "--log-format", "text",
            ]
            process.environment = ["POD_NAME": "k8supdater-0", "POD_NAMESPACE": "k8supdater", "HOME": "/nonexistent"]
            let errorFile = try Self.temporaryFile("")
            defer { try? FileManager.default.removeItem(at: errorFile) }
            let errors = try FileHandle(forWritingTo: errorFile)
            process.standardError = errors
            process.standardOutput = errors
            try process.run()
            defer { if process.isRunning { process.terminate() } }
            func output() -> String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

            var spec = VersioningHandler.Spec(deployment: "missing", containerregistry: "oci")
            spec.containers = ["web"]
            _ = try await admin.create(
                VersioningHandler(metadata: ObjectMeta(name: "web-updater", namespace: "default"), spec: spec))

            let leaseHeld = await Self.eventually {
                let lease = try? await admin.get(Lease.self, name: "k8supdater-0", namespace: "k8supdater")
                return lease?.spec?.holderIdentity?.isEmpty == false
            }
            #expect(leaseHeld, "\(output())")
            let handled = await Self.eventually {
                guard
                    let handler = try? await admin.get(
                        VersioningHandler.self, name: "web-updater", namespace: "default")
                else { return false }
                return handler.metadata.labels?["k8supdater.io/shard"] == "k8supdater-0"
                    && handler.status?.conditions?.contains { $0.type == "Ready" && $0.status == "False" } == true
            }
            #expect(handled, "\(output())")
            let ready = await Self.eventually { await Self.readyz(transport, port: port) == 200 }
            await transport.shutdown()
            #expect(ready, "\(output())")

            process.terminate()  // SIGTERM
            let exited = await Self.eventually { !process.isRunning }
            try #require(exited, "\(output())")
            #expect(process.terminationStatus == 0, "\(output())")
            #expect(process.terminationReason == .exit)
            let lease = try await admin.get(Lease.self, name: "k8supdater-0", namespace: "k8supdater")
            #expect(lease.spec?.holderIdentity == "", "\(output())")
            let coordinator = try await admin.get(Lease.self, name: "k8supdater-coordinator", namespace: "k8supdater")
            #expect(coordinator.spec?.holderIdentity == "", "\(output())")
        }
    }

    @Test("an invalid VERSIONS_FRONTIER is refused at start-up with one line on stderr")
    func invalidEnvironment() async throws {
        let result = try await TestProcess.capture(
            try Self.executable().path, arguments: ["run"],
            environment: ["VERSIONS_FRONTIER": "-1", "POD_NAME": "k8supdater-0", "POD_NAMESPACE": "k8supdater"])
        let stderr = result.stderr
        #expect(result.status == 2)
        let lines = stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(stderr)")
        #expect(stderr.hasPrefix("VERSIONS_FRONTIER: "), "\(stderr)")
        #expect(stderr.contains("\"-1\""), "\(stderr)")
    }
}
