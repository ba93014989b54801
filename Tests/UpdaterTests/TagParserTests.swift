import Testing
import Updater

@Suite("Tags: prefix + version + suffix, tag patterns, rejections")
struct TagParserTests {
    @Test(
        "the docker default reads the first run of dotted numbers",
        arguments: [
            ("v1.2.3", "v", [1, 2, 3], ""),
            ("1.25.3-alpine", "", [1, 25, 3], "-alpine"),
            ("1.25.3-alpine3.19", "", [1, 25, 3], "-alpine3.19"),
            ("alpine3.19", "alpine", [3, 19], ""),
            ("2024.05.01", "", [2024, 5, 1], ""),
            ("r123", "r", [123], ""),
            ("r123-1.0", "r", [123], "-1.0"),
            ("2.1.0.RELEASE", "", [2, 1, 0], ".RELEASE"),
            ("3.12.4-slim-bookworm", "", [3, 12, 4], "-slim-bookworm"),
            ("16.3-bookworm", "", [16, 3], "-bookworm"),
            ("7.2.5-alpine3.20", "", [7, 2, 5], "-alpine3.20"),
            ("release-2024.1", "release-", [2024, 1], ""),
            ("5.3.2.0", "", [5, 3, 2, 0], ""),
            ("20", "", [20], ""),
        ] as [(String, String, [UInt64], String)])
    func dockerDefault(raw: String, prefix: String, components: [UInt64], suffix: String) throws {
        let tag = try TagParser().parse(raw).get()
        #expect(tag.raw == raw)
        #expect(tag.prefix == prefix)
        #expect(tag.version.components == components)
        #expect(tag.suffix == suffix)
    }

    static let hex = String(repeating: "0a", count: 32)
    static let rejected: [(String, TagRejection)] = [
        ("latest", .noVersion),
        ("stable", .noVersion),
        ("mainline-alpine", .noVersion),
        ("sha256-" + hex + ".sig", .signatureArtifact),
        ("sha256-" + hex + ".att", .signatureArtifact),
        ("sha256-" + hex + ".sbom", .signatureArtifact),
        ("sha256-" + hex, .signatureArtifact),
        ("-1.0", .invalidTagSyntax),
        ("1.0 beta", .invalidTagSyntax),
        ("", .invalidTagSyntax),
    ]

    @Test(
        "floating, invalid and artefact tags are rejected with the reason",
        arguments: rejected)
    func rejections(raw: String, reason: TagRejection) {
        #expect(TagParser().parse(raw) == .failure(reason))
        #expect(TagParser(flavor: .pep440).parse(raw) == .failure(reason))
    }

    @Test("semver and pep440 flavours read the whole version; the tag string is kept")
    func otherFlavours() throws {
        let semver = try TagParser(flavor: .semver).parse("v1.2.3-rc.1").get()
        #expect(semver.prefix == "v" && semver.suffix == "" && semver.isPreRelease)
        let pep = try TagParser(flavor: .pep440).parse("v1.2.1").get()
        #expect(pep.raw == "v1.2.1" && pep.prefix == "v" && pep.version.description == "1.2.1")
        #expect(try TagParser(flavor: .pep440).parse("1.2.1").get().prefix == "")
        guard case .failure(.invalidVersion) = TagParser(flavor: .pep440).parse("1.0-alpine") else {
            Issue.record("1.0-alpine is not PEP 440")
            return
        }
        guard case .failure(.invalidVersion) = TagParser(flavor: .semver).parse("1.25") else {
            Issue.record("1.25 is not SemVer")
            return
        }
    }

    @Test("a tagPattern's version group decides the version; other groups override the shape")
    func patterns() throws {
        let parser = TagParser(pattern: try TagPattern(#"^build-(?<version>\d+)-(?<suffix>[a-f0-9]+)$"#))
        let tag = try parser.parse("build-42-abcdef1").get()
        #expect(tag.version.components == [42])
        #expect(tag.prefix == "build-")
        #expect(tag.suffix == "abcdef1")
        #expect(parser.parse("build-42") == .failure(.patternMismatch))
        #expect(parser.parse("latest") == .failure(.patternMismatch))

        let pre = TagParser(
            pattern: try TagPattern(#"^v?(?<version>\d+\.\d+\.\d+)(?:-(?<prerelease>rc\.?\d+))?-alpine$"#))
        let release = try pre.parse("1.2.3-alpine").get()
        let candidate = try pre.parse("1.2.3-rc1-alpine").get()
        #expect(release.suffix == "-alpine" && candidate.suffix == "-alpine")
        #expect(candidate.isPreRelease && !release.isPreRelease)
        #expect(candidate < release)

        let withPrefix = TagParser(pattern: try TagPattern(#"^(?<prefix>[a-z]+)-(?<version>\d+(\.\d+)*)$"#))
        #expect(try withPrefix.parse("app-1.2").get().prefix == "app")
    }

    @Test("an unusable tagPattern is a typed error")
    func badPatterns() {
        #expect(throws: TagPatternError.missingVersionGroup(pattern: #"^\d+$"#)) { try TagPattern(#"^\d+$"#) }
        #expect {
            try TagPattern("(?<version>[")
        } throws: { error in
            guard case .invalidSyntax(let pattern, _) = error as? TagPatternError else { return false }
            return pattern == "(?<version>["
        }
        #expect(throws: TagPatternError.self) { try VersionPolicy(flavor: .docker, tagPattern: "(", frontier: 1) }
    }

    @Test("tags order by version, then by string: a total order where equal means the same string")
    func tagOrder() throws {
        let parser = TagParser(flavor: .pep440)
        let a = try parser.parse("1.0").get()
        let b = try parser.parse("1.0.0").get()
        #expect(a.version == b.version)
        #expect(a != b)
        #expect(a < b)
    }
}
