import TestSupport
import Testing
import Transport
import Updater

/// Against Debian's docker-registry (distribution 2.8) on loopback, anonymous access, with images
/// pushed by plain HTTP.
@Suite(
    "OCI client against a real docker-registry (anonymous)",
    .requires(.executable("docker-registry"), .executable("openssl")))
struct OCIRegistryAnonymousTests {
    @Test("tags, digests and per-platform digests of single images, an OCI index and a Docker manifest list")
    func tagsAndDigests() async throws {
        try SystemTool.require("docker-registry")
        try await DockerRegistryServer.withRegistry { registry in
            try await RegistryTest.withTransport { transport in
                let seeder = RegistryImageSeeder(transport: transport, baseURL: registry.baseURL)
                let one = try await seeder.pushImage("library/demo", tag: "1.0.0")
                try await seeder.pushImage("library/demo", tag: "1.1.0")
                let amd = try await seeder.pushImage("library/demo", tag: "2.0.0-amd64", architecture: "amd64")
                let arm = try await seeder.pushImage("library/demo", tag: "2.0.0-arm64", architecture: "arm64")
                let index = try await seeder.pushIndex("library/demo", tag: "2.0.0", children: [amd, arm])
                let list = try await seeder.pushIndex(
                    "library/demo", tag: "2.1.0", children: [amd, arm], mediaType: ManifestMediaType.dockerManifestList)

                let recording = RecordingTransport(transport)
                let client = OCIRegistryClient(http: RegistryTest.http(recording))
                let repository = RegistryTest.repository(registry.host, "library/demo")

                let listing = try await client.tags(of: repository, credentials: nil)
                #expect(Set(listing.tags) == ["1.0.0", "1.1.0", "2.0.0-amd64", "2.0.0-arm64", "2.0.0", "2.1.0"])
                #expect(!listing.isTruncated)
                #expect(recording.requests.first == "GET http://\(registry.host)/v2/library/demo/tags/list?n=1000")

                let single = try await client.digest(of: repository, tag: "1.0.0", credentials: nil)
                #expect(single.digest == one.digest)
                #expect(single.mediaType == ManifestMediaType.dockerManifest)
                #expect(single.platforms.isEmpty)

                let oci = try await client.digest(of: repository, tag: "2.0.0", credentials: nil)
                #expect(oci.digest == index)
                #expect(oci.mediaType == ManifestMediaType.ociIndex)
                #expect(oci.digest(for: .linuxAMD64) == amd.digest)
                #expect(oci.digest(for: try #require(Platform(parsing: "linux/arm64/v8"))) == arm.digest)

                let docker = try await client.digest(of: repository, tag: "2.1.0", credentials: nil)
                #expect(docker.digest == list)
                #expect(docker.mediaType == ManifestMediaType.dockerManifestList)
                #expect(docker.digest(for: .linuxARM64) == arm.digest)
            }
        }
    }

    @Test("the index is fetched by GET only when the HEAD digest is new")
    func indexFetchedOnce() async throws {
        try SystemTool.require("docker-registry")
        try await DockerRegistryServer.withRegistry { registry in
            try await RegistryTest.withTransport { transport in
                let seeder = RegistryImageSeeder(transport: transport, baseURL: registry.baseURL)
                let amd = try await seeder.pushImage("team/app", tag: "a", architecture: "amd64")
                let arm = try await seeder.pushImage("team/app", tag: "b", architecture: "arm64")
                try await seeder.pushIndex("team/app", tag: "latest", children: [amd, arm])
                let recording = RecordingTransport(transport)
                let client = OCIRegistryClient(http: RegistryTest.http(recording))
                let repository = RegistryTest.repository(registry.host, "team/app")
                for _ in 0..<3 { _ = try await client.digest(of: repository, tag: "latest", credentials: nil) }
                #expect(recording.count { $0.hasPrefix("HEAD ") } == 3)
                #expect(recording.count { $0.hasPrefix("GET ") } == 1)

                let rebuilt = try await seeder.pushImage("team/app", tag: "c", architecture: "amd64")
                let newIndex = try await seeder.pushIndex("team/app", tag: "latest", children: [rebuilt, arm])
                let after = try await client.digest(of: repository, tag: "latest", credentials: nil)
                #expect(after.digest == newIndex)
                #expect(after.digest(for: .linuxAMD64) == rebuilt.digest)
                #expect(recording.count { $0.hasPrefix("GET ") } == 2)
            }
        }
    }

    @Test("unknown repositories and tags, and a repository whose tags were all deleted")
    func unknownAndEmpty() async throws {
        try SystemTool.require("docker-registry")
        try await DockerRegistryServer.withRegistry { registry in
            try await RegistryTest.withTransport { transport in
                let seeder = RegistryImageSeeder(transport: transport, baseURL: registry.baseURL)
                let pushed = try await seeder.pushImage("team/gone", tag: "1.0.0")
                let client = OCIRegistryClient(http: RegistryTest.http(transport))
                await #expect(throws: RegistryError.self) {
                    try await client.tags(of: RegistryTest.repository(registry.host, "library/nope"), credentials: nil)
                }
                do {
                    _ = try await client.tags(
                        of: RegistryTest.repository(registry.host, "library/nope"), credentials: nil)
                } catch let error as RegistryError {
                    #expect(error.reason == "RepositoryNotFound")
                    #expect(!error.isRetryable)
                }
                let repository = RegistryTest.repository(registry.host, "team/gone")
                await #expect(throws: RegistryError.tagNotFound(repository: repository.description, tag: "nosuchtag")) {
                    try await client.digest(of: repository, tag: "nosuchtag", credentials: nil)
                }
                let delete = HTTPRequest(
                    method: .delete, url: "\(registry.baseURL)/v2/team/gone/manifests/\(pushed.digest)")
                #expect(try await transport.send(delete).status == 202)
                let empty = try await client.tags(of: repository, credentials: nil)
                #expect(empty.tags.isEmpty)
            }
        }
    }
}
