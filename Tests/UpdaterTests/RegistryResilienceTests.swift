import Foundation
import MetricsTestKit
import TestSupport
import Testing
import Transport
import Updater

/// Hostile or broken registry replies become typed errors; nothing crashes.
@Suite("Registry client resilience")
struct RegistryResilienceTests {
    private static func withServer(
        _ reply: @escaping @Sendable (FixtureHTTPServer.RecordedRequest) -> FixtureHTTPServer.Reply,
        limits: RegistryLimits = .default,
        body: @Sendable (OCIRegistryClient, RegistryRepository) async throws -> Void
    ) async throws {
        let handler: FixtureHTTPServer.Handler = { reply($0) }
        try await FixtureHTTPServer.withServer(handler) { server in
            try await RegistryTest.withTransport { transport in
                let client = OCIRegistryClient(http: RegistryTest.http(transport, limits: limits))
                try await body(client, RegistryTest.repository("127.0.0.1:\(server.port)", "team/app"))
            }
        }
    }

    @Test(
        "malformed tag lists, bad Link headers, 5xx and missing digests are typed errors",
        arguments: [
            ("not json", 200, [(String, String)](), "RegistryMalformedResponse", true),
            (#"{"tags":"nope"}"#, 200, [], "RegistryMalformedResponse", true),
            (
                #"{"tags":["a"]}"#, 200, [("Link", #"<https://elsewhere.example/v2/x>; rel="next""#)],
                "RegistryMalformedResponse", true
            ),
            (#"{"errors":[{"code":"UNKNOWN","message":"boom\u0007\n"}]}"#, 500, [], "RegistryError", true),
            (#"{"errors":[{"code":"DENIED","message":"no"}]}"#, 403, [], "RegistryForbidden", false),
        ])
    func malformed(body: String, status: Int, headers: [(String, String)], reason: String, retryable: Bool) async throws
    {
        let reply: @Sendable (FixtureHTTPServer.RecordedRequest) -> FixtureHTTPServer.Reply = { _ in
            .json(body, status: status, headers: headers)
        }
        try await Self.withServer(reply) { client, repository in
            do {
                _ = try await client.tags(of: repository, credentials: nil)
                Issue.record("expected \(reason)")
            } catch let error as RegistryError {
                #expect(error.reason == reason)
                #expect(error.isRetryable == retryable)
                #expect(!error.description.contains("\u{7}"))
            }
        }
    }

    @Test("a reply larger than the size cap is refused")
    func sizeCap() async throws {
        var limits = RegistryLimits.default
        limits.maxResponseBytes = 64 * 1024
        let huge = #"{"tags":["# + String(repeating: #""x","#, count: 40_000) + #""y"]}"#
        let reply: @Sendable (FixtureHTTPServer.RecordedRequest) -> FixtureHTTPServer.Reply = { _ in
            .json(huge)
        }
        try await Self.withServer(reply, limits: limits) { client, repository in
            await #expect(throws: RegistryError.responseTooLarge(registry: repository.host, limit: 64 * 1024)) {
                try await client.tags(of: repository, credentials: nil)
            }
        }
    }

    @Test("a HEAD without Docker-Content-Digest falls back to one GET whose bytes are hashed")
    func missingDigestFallsBackToGET() async throws {
        let manifest = #"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json"}"#
        let reply: @Sendable (FixtureHTTPServer.RecordedRequest) -> FixtureHTTPServer.Reply = {
            request in
            .init(
                status: 200, headers: [("Content-Type", ManifestMediaType.dockerManifest)],
                body: request.method == "GET" ? Data(manifest.utf8) : Data())
        }
        try await Self.withServer(reply) { client, repository in
            let digest = try await client.digest(of: repository, tag: "1", credentials: nil)
            let expected = try SHA256.hash(Data(manifest.utf8))
            #expect(digest.digest == "sha256:" + expected.hex)
            #expect(digest.mediaType == ManifestMediaType.dockerManifest)
        }
    }

    @Test("a manifest whose bytes do not match the digest the registry states is refused")
    func mismatchedDigest() async throws {
        let stated = "sha256:" + String(repeating: "0", count: 64)
        let reply: @Sendable (FixtureHTTPServer.RecordedRequest) -> FixtureHTTPServer.Reply = {
            request in
            request.method == "HEAD"
                ? .init(status: 200, headers: [("Docker-Content-Digest", "md5:x")])
                : .json("{}", headers: [("Docker-Content-Digest", stated)])
        }
        try await Self.withServer(reply) { client, repository in
            do {
                _ = try await client.digest(of: repository, tag: "1", credentials: nil)
                Issue.record("expected an error")
            } catch let error as RegistryError {
                #expect(error.reason == "RegistryMalformedResponse")
            }
        }
    }

    @Test("tags beyond the per-repository cap are dropped, reported and counted")
    func tagCap() async throws {
        var limits = RegistryLimits.default
        limits.maxTagsPerRepository = 100
        limits.tagPageSize = 60
        let capped = limits
        let fixture = RegistryAPIFixture(repositories: ["team/app": (0..<250).map { String(format: "t%03d", $0) }])
        try await FixtureHTTPServer.withServer(fixture.handle) { server in
            try await RegistryTest.withTransport { transport in
                let metrics = TestMetrics()
                let client = OCIRegistryClient(
                    http: RegistryTest.http(transport, limits: capped, metrics: RegistryMetrics(factory: metrics)))
                let listing = try await client.tags(
                    of: RegistryTest.repository("127.0.0.1:\(server.port)", "team/app"), credentials: nil)
                #expect(listing.tags.count == 100)
                #expect(listing.isTruncated)
                #expect(listing.listedCount == 250)
                #expect(listing.tags.last == "t249")
                #expect(server.requests.count == 5)
                let hits = try metrics.expectCounter(
                    "k8supdater_registry_tag_cap_hits_total", [("registry", "127.0.0.1:\(server.port)")])
                #expect(hits.totalValue == 1)
            }
        }
    }

    @Test("nothing listens: a retryable transport error naming the registry")
    func connectionRefused() async throws {
        try await RegistryTest.withTransport { transport in
            let port = try FreeLoopbackPort.next()
            let client = OCIRegistryClient(http: RegistryTest.http(transport))
            do {
                _ = try await client.tags(
                    of: RegistryTest.repository("127.0.0.1:\(port)", "team/app"), credentials: nil)
                Issue.record("expected an error")
            } catch let error as RegistryError {
                #expect(error.reason == "RegistryUnreachable")
                #expect(error.isRetryable)
                #expect(error.description.contains("127.0.0.1:\(port)"))
            }
        }
    }
}
