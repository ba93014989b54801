import Foundation
import Testing
import Updater

@Suite("Registry value types")
struct RegistryModelTests {
    @Test("arm64 without a variant is the same platform as arm64/v8")
    func armVariants() throws {
        let digest = ManifestDigest(
            digest: "sha256:" + String(repeating: "a", count: 64),
            mediaType: ManifestMediaType.ociIndex,
            platforms: [
                PlatformManifest(platform: Platform(os: "linux", architecture: "amd64"), digest: "sha256:amd"),
                PlatformManifest(
                    platform: Platform(os: "linux", architecture: "arm64", variant: "v8"), digest: "sha256:arm"),
            ])
        #expect(digest.digest(for: try #require(Platform(parsing: "linux/arm64"))) == "sha256:arm")
        #expect(digest.digest(for: try #require(Platform(parsing: "linux/arm64/v8"))) == "sha256:arm")
        #expect(digest.digest(for: try #require(Platform(parsing: "linux/amd64"))) == "sha256:amd")
        #expect(digest.digest(for: try #require(Platform(parsing: "linux/s390x"))) == nil)
        #expect(Platform(parsing: "linux") == nil)
    }

    @Test("a single-platform image answers its own digest for any platform")
    func singlePlatform() throws {
        let digest = ManifestDigest(digest: "sha256:x", mediaType: ManifestMediaType.dockerManifest)
        #expect(digest.digest(for: try #require(Platform(parsing: "linux/arm64"))) == "sha256:x")
    }

    @Test("the Accept list names all four manifest types, indexes first")
    func acceptList() {
        #expect(
            ManifestMediaType.acceptList
                == "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"
        )
        #expect(ManifestMediaType.isIndex("application/vnd.oci.image.index.v1+json; charset=utf-8"))
        #expect(!ManifestMediaType.isIndex(ManifestMediaType.dockerManifest))
    }

    @Test("Docker Hub names get library/ and every Hub alias is one host")
    func dockerHubNames() {
        #expect(DockerHub.repositoryName("nginx") == "library/nginx")
        #expect(DockerHub.repositoryName("bitnami/nginx") == "bitnami/nginx")
        #expect(DockerHub.isHubHost("index.docker.io"))
        #expect(!DockerHub.isHubHost("ghcr.io"))
    }

    @Test("Hub timestamps with 6 to 9 fractional digits parse")
    func hubTimestamps() throws {
        let six = try #require(HubTimestamp.parse("2023-06-13T04:58:31.821511Z"))
        let nine = try #require(HubTimestamp.parse("2024-09-04T08:01:41.048681016Z"))
        #expect(abs(six.timeIntervalSince1970 - 1_686_632_311.821511) < 0.001)
        #expect(nine > six)
        #expect(HubTimestamp.parse("yesterday") == nil)
    }

    @Test("token replies default to 60 s and are reused a little less than their lifetime")
    func tokenReplies() throws {
        let plain = try #require(BearerTokenResponse(json: Data(#"{"token":"t"}"#.utf8)))
        #expect(plain.expiresIn == .seconds(60))
        #expect(plain.reuseFor == .seconds(54))
        let access = try #require(BearerTokenResponse(json: Data(#"{"access_token":"a","expires_in":300}"#.utf8)))
        #expect(access.token == "a")
        #expect(access.reuseFor == .seconds(270))
        #expect(BearerTokenResponse(json: Data(#"{"expires_in":300}"#.utf8)) == nil)
    }

    @Test("the token cache forgets a token once its time is up")
    func tokenCache() {
        var cache = RegistryTokenCache(capacity: 2)
        let key = RegistryTokenCache.Key(
            realm: "https://r/token", service: "s", scope: "repository:a:pull", credentials: nil)
        cache.store("t1", for: key, validFor: .seconds(54), now: .zero)
        #expect(cache.token(for: key, now: .seconds(53)) == "t1")
        #expect(cache.token(for: key, now: .seconds(54)) == nil)
        for index in 0..<5 {
            let other = RegistryTokenCache.Key(
                realm: "https://r/token", service: "s", scope: "\(index)", credentials: nil)
            cache.store("x", for: other, validFor: .seconds(60), now: .seconds(100))
        }
        #expect(cache.count <= 2)
    }

    @Test("error messages are fit for a status and say whether to retry")
    func errors() {
        let throttled = RegistryError.throttled(registry: "registry-1.docker.io", retryAfter: .milliseconds(1500))
        #expect(throttled.isRetryable)
        #expect(throttled.description == "rate limit of registry-1.docker.io reached; retrying in 2 s")
        #expect(throttled.reason == "RegistryThrottled")
        #expect(!RegistryError.unauthorized(registry: "ghcr.io", detail: "x").isRetryable)
        #expect(RegistryError.httpStatus(registry: "quay.io", status: 503, detail: "").isRetryable)
        #expect(!RegistryError.httpStatus(registry: "quay.io", status: 400, detail: "").isRetryable)
    }
}
