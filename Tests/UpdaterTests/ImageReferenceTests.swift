import Testing
import Updater

@Suite("Image references (distribution/reference grammar)")
struct ImageReferenceTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        var input: String
        var registry: String
        var path: String
        var tag: String?
        var digest: String?
        var registryHost: String
        var familiar: String
        var testDescription: String { input }
    }

    static let sha = String(repeating: "ab", count: 32)

    static let valid: [Valid] = [
        .init(
            input: "nginx", registry: "docker.io", path: "library/nginx", registryHost: "registry-1.docker.io",
            familiar: "nginx"),
        .init(
            input: "nginx:1.25.3-alpine", registry: "docker.io", path: "library/nginx", tag: "1.25.3-alpine",
            registryHost: "registry-1.docker.io", familiar: "nginx"),
        .init(
            input: "docker.io/nginx:1.25", registry: "docker.io", path: "library/nginx", tag: "1.25",
            registryHost: "registry-1.docker.io", familiar: "nginx"),
        .init(
            input: "index.docker.io/library/redis:7", registry: "docker.io", path: "library/redis", tag: "7",
            registryHost: "registry-1.docker.io", familiar: "redis"),
        .init(
            input: "bitnami/nginx:1.21.6-debian-10", registry: "docker.io", path: "bitnami/nginx",
            tag: "1.21.6-debian-10", registryHost: "registry-1.docker.io", familiar: "bitnami/nginx"),
        .init(
            input: "localhost/app:v1", registry: "localhost", path: "app", tag: "v1", registryHost: "localhost",
            familiar: "localhost/app"),
        .init(
            input: "localhost:5000/team/app:v1", registry: "localhost:5000", path: "team/app", tag: "v1",
            registryHost: "localhost:5000", familiar: "localhost:5000/team/app"),
        .init(
            input: "127.0.0.1:5000/app", registry: "127.0.0.1:5000", path: "app", registryHost: "127.0.0.1:5000",
            familiar: "127.0.0.1:5000/app"),
        .init(
            input: "[::1]:5000/app:2", registry: "[::1]:5000", path: "app", tag: "2", registryHost: "[::1]:5000",
            familiar: "[::1]:5000/app"),
        .init(
            input: "Registry.Example.com/app", registry: "Registry.Example.com", path: "app",
            registryHost: "Registry.Example.com", familiar: "Registry.Example.com/app"),
        .init(
            input: "gitlab-registry.cern.ch/grp/containers/myimg:1.2.0", registry: "gitlab-registry.cern.ch",
            path: "grp/containers/myimg", tag: "1.2.0", registryHost: "gitlab-registry.cern.ch",
            familiar: "gitlab-registry.cern.ch/grp/containers/myimg"),
        .init(
            input: "ghcr.io/a_b/c__d/e--f.g:tag_1.x-Y", registry: "ghcr.io", path: "a_b/c__d/e--f.g",
            tag: "tag_1.x-Y", registryHost: "ghcr.io", familiar: "ghcr.io/a_b/c__d/e--f.g"),
        .init(
            input: "nginx@sha256:\(sha)", registry: "docker.io", path: "library/nginx", digest: "sha256:\(sha)",
            registryHost: "registry-1.docker.io", familiar: "nginx"),
        .init(
            input: "nginx:1.25@sha256:\(sha)", registry: "docker.io", path: "library/nginx", tag: "1.25",
            digest: "sha256:\(sha)", registryHost: "registry-1.docker.io", familiar: "nginx"),
        // Docker reads `localhost:5000` without a slash as image `localhost`, tag `5000`.
        .init(
            input: "localhost:5000", registry: "docker.io", path: "library/localhost", tag: "5000",
            registryHost: "registry-1.docker.io", familiar: "localhost"),
        .init(
            input: "quay.io/prometheus/node-exporter:v1.8.2", registry: "quay.io", path: "prometheus/node-exporter",
            tag: "v1.8.2", registryHost: "quay.io", familiar: "quay.io/prometheus/node-exporter"),
    ]

    @Test("valid references parse and normalise like docker pull", arguments: valid)
    func parsesValid(_ row: Valid) throws {
        let reference = try ImageReference(parsing: row.input)
        #expect(reference.registry == row.registry)
        #expect(reference.path == row.path)
        #expect(reference.tag == row.tag)
        #expect(reference.digest?.description == row.digest)
        #expect(reference.registryHost == row.registryHost)
        #expect(reference.familiarName == row.familiar)
        #expect(try ImageReference(parsing: reference.description) == reference)
    }

    static let invalid: [(String, ImageReferenceError)] = [
        ("", .empty),
        ("Nginx", .uppercaseRepository("library/Nginx")),
        ("docker.io/Library/nginx", .uppercaseRepository("Library/nginx")),
        ("nginx:", .invalidTag("")),
        ("nginx:-1", .invalidTag("-1")),
        ("nginx:.1", .invalidTag(".1")),
        ("nginx:1+2", .invalidTag("1+2")),
        ("nginx:" + String(repeating: "a", count: 129), .invalidTag(String(repeating: "a", count: 129))),
        ("nginx@sha256:abc", .invalidDigest("sha256:abc")),
        (
            "nginx@sha256:" + String(repeating: "AB", count: 32),
            .invalidDigest("sha256:" + String(repeating: "AB", count: 32))
        ),
        ("nginx@md5:" + String(repeating: "a", count: 32), .unsupportedDigestAlgorithm("md5")),
        ("nginx@sha256", .invalidDigest("sha256")),
        ("a//b", .invalidPathComponent("")),
        ("a/b/", .invalidPathComponent("")),
        ("team/-app", .invalidPathComponent("-app")),
        ("team/app.", .invalidPathComponent("app.")),
        ("team/a___b", .invalidPathComponent("a___b")),
        ("team/a._b", .invalidPathComponent("a._b")),
        ("team/a b", .invalidPathComponent("a b")),
        ("host:port/app", .invalidRegistry("host:port")),
        ("-bad.example.com/app", .invalidRegistry("-bad.example.com")),
        ("bad..example.com/app", .invalidRegistry("bad..example.com")),
        ("[zz::1]:5000/app", .invalidRegistry("[zz::1]:5000")),
        (String(repeating: "a", count: 64), .looksLikeImageID(String(repeating: "a", count: 64))),
        ("example.com/" + String(repeating: "a", count: 244), .nameTooLong(length: 256)),
    ]

    @Test(
        "invalid references are rejected with an error naming the problem",
        arguments: invalid)
    func rejectsInvalid(input: String, expected: ImageReferenceError) {
        #expect(throws: expected) { try ImageReference(parsing: input) }
        #expect(!expected.isRetryable)
        #expect(expected.description.hasPrefix("invalid image reference"))
    }

    @Test("the longest allowed name (255 characters) is accepted")
    func lengthLimit() throws {
        let name = "example.com/" + String(repeating: "a", count: 243)
        #expect(try ImageReference(parsing: name).name.utf8.count == 255)
    }

    @Test("a new tag is written back in the user's own form, without the old digest")
    func replacingTag() throws {
        #expect(try ImageReference(parsing: "nginx:1.25").replacingTag("1.26") == "nginx:1.26")
        #expect(try ImageReference(parsing: "docker.io/nginx:1.25").replacingTag("1.26") == "docker.io/nginx:1.26")
        #expect(
            try ImageReference(parsing: "localhost:5000/app:1@sha256:\(Self.sha)").replacingTag("2")
                == "localhost:5000/app:2")
        #expect(try ImageReference(parsing: "nginx").effectiveTag == "latest")
        #expect(try ImageReference(parsing: "nginx@sha256:\(Self.sha)").effectiveTag == nil)
    }

    @Test("the digest is read from a pod's imageID in each runtime's form")
    func imageIDs() {
        let hex = Self.sha
        #expect(ImageDigest(imageID: "docker-pullable://nginx@sha256:\(hex)")?.hex == hex)
        #expect(ImageDigest(imageID: "docker.io/library/nginx@sha256:\(hex)")?.algorithm == "sha256")
        #expect(ImageDigest(imageID: "sha256:\(hex)")?.hex == hex)
        #expect(ImageDigest(imageID: "nginx:1.25") == nil)
        #expect(ImageDigest(imageID: "") == nil)
    }
}
