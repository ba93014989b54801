import Foundation
import TestSupport
import Testing
import Transport
import Updater

/// `k8supdater check` run as a process against the real docker-registry on loopback.
@Suite("k8supdater check", .requires(.executable("docker-registry"), .executable("openssl")))
struct RegistryCheckCommandTests {
    /// The `k8supdater` executable built next to this test bundle.
    private static func executable() throws -> String { try BuiltProduct.path("k8supdater") }

    private static func run(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["DOCKER_CONFIG"] =
            FileManager.default.temporaryDirectory.appendingPathComponent("no-docker-config").path
        let result = try await TestProcess.capture(try executable(), arguments: arguments, environment: environment)
        return (result.status, result.stdout, result.stderr)
    }

    @Test("a versioned tag: the tags considered and the decision within and beyond the frontier")
    func versionedTag() async throws {
        try SystemTool.require("docker-registry")
        try await DockerRegistryServer.withRegistry { registry in
            try await RegistryTest.withTransport { transport in
                let seeder = RegistryImageSeeder(transport: transport, baseURL: registry.baseURL)
                for tag in ["1.0.0", "1.0.1", "1.1.0", "2.0.0", "latest"] {
                    try await seeder.pushImage("team/app", tag: tag)
                }
            }
            let image = "\(registry.host)/team/app:1.0.0"
            let json = try await Self.run([
                "check", image, "--registry", "oci", "--insecure-http", "--frontier", "1", "--json",
            ])
            #expect(json.status == 0, "\(json.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["action"] as? String == "updateAndNotify")
            #expect(object["update"] as? String == "1.1.0")
            #expect(object["notify"] as? String == "2.0.0")
            #expect(Set(object["tags"] as? [String] ?? []) == ["1.0.0", "1.0.1", "1.1.0", "2.0.0", "latest"])

            let text = try await Self.run(["check", image, "--registry", "oci", "--insecure-http", "--frontier", "0"])
            #expect(text.status == 0, "\(text.stderr)")
            #expect(text.stdout.contains("update to:        2.0.0"))
            #expect(text.stdout.contains("tags (5)"))
        }
    }

    @Test("a floating tag: the digest decision per platform; a missing repository exits 1 with a message")
    func floatingTagAndErrors() async throws {
        try SystemTool.require("docker-registry")
        try await DockerRegistryServer.withRegistry { registry in
            let (old, index) = try await RegistryTest.withTransport { transport in
                let seeder = RegistryImageSeeder(transport: transport, baseURL: registry.baseURL)
                let old = try await seeder.pushImage("team/app", tag: "old", architecture: "amd64")
                let amd = try await seeder.pushImage("team/app", tag: "new", architecture: "arm64")
                let index = try await seeder.pushIndex("team/app", tag: "latest", children: [amd])
                return (old, index)
            }
            let restart = try await Self.run([
                "check", "\(registry.host)/team/app:latest", "--insecure-http", "--json", "--latest-preference", "true",
                "--running-digest", old.digest, "--platform", "linux/arm64",
            ])
            #expect(restart.status == 0, "\(restart.stderr)")
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(restart.stdout.utf8)) as? [String: Any])
            #expect(object["action"] as? String == "restart")
            #expect(object["digest"] as? String == index)

            let missing = try await Self.run(["check", "\(registry.host)/team/nope:1.0", "--insecure-http"])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("repository \(registry.host)/team/nope not found"))
            let invalid = try await Self.run(["check", "UPPER/Case:1", "--insecure-http"])
            #expect(invalid.status == 2)
        }
    }
}
