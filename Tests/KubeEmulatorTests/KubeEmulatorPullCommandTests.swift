import Foundation
import TestSupport
import Testing
import Transport

/// The `kube-emulator` executable pulls from registries by default: plain HTTP only for those named
/// with `--insecure-registry`.
@Suite(
    "kube-emulator --insecure-registry", .serialized, .requires(.executable("docker-registry"), .executable("kubectl")))
struct KubeEmulatorPullCommandTests {
    /// Runs kube-emulator with `arguments`, creates a Deployment of `image` with the real kubectl and
    /// returns the imageID its Pod reports once Running.
    static func runningImageID(image: String, arguments: [String]) async throws -> String {
        let kubectl = try SystemTool.require("kubectl")
        let scratch = try TemporaryDirectory(prefix: "kube-emulator-pull")
        defer { scratch.remove() }
        let kubeconfig = "\(scratch.path)/kubeconfig"
        let emulator = try TestProcess.start(
            try BuiltProduct.path("kube-emulator"), arguments: ["--kubeconfig-out", kubeconfig] + arguments,
            directory: scratch.path)
        defer { emulator.signal(SIGTERM) }
        _ = try await emulator.waitForLine(startingWith: "kube emulator serving on")
        let base = ["--kubeconfig", kubeconfig, "--cache-dir", "\(scratch.path)/cache"]
        let created = try await TestProcess.run(
            kubectl, arguments: base + ["create", "deployment", "web", "--image=\(image)"], directory: scratch.path)
        try #require(created.status == 0, "\(created.output)")
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while ContinuousClock.now < deadline {
            let result = try await TestProcess.run(
                kubectl,
                arguments: base + [
                    "get", "pods", "-l", "app=web", "-o",
                    "jsonpath={.items[0].status.phase} {.items[0].status.containerStatuses[0].imageID}",
                ], directory: scratch.path)
            let parts = result.output.split(separator: " ")
            if result.status == 0, parts.count == 2, parts[0] == "Running" { return String(parts[1]) }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw FixtureError("the Pod did not run: \(emulator.output.suffix(2000))")
    }

    @Test("a registry named insecure is pulled from over HTTP; without the flag the Pod gets the placeholder digest")
    func insecureRegistry() async throws {
        try await DockerRegistryServer.withRegistry { registry in
            let transport = try CurlTransport()
            let pushed = try await RegistryImageSeeder(transport: transport, baseURL: registry.baseURL)
                .pushImage("team/app", tag: "1.0")
            await transport.shutdown()
            let image = "\(registry.host)/team/app:1.0"
            let pulled = try await Self.runningImageID(
                image: image, arguments: ["--insecure-registry", registry.host])
            #expect(pulled == "\(registry.host)/team/app@\(pushed.digest)")
            // HTTPS to a plain-HTTP registry fails: nothing reachable, so the deterministic placeholder.
            let placeholder = try await Self.runningImageID(image: image, arguments: [])
            #expect(placeholder.hasPrefix("\(registry.host)/team/app@sha256:"))
            #expect(placeholder != pulled)
        }
    }
}
