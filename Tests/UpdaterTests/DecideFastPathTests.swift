import Testing

@testable import Updater

/// The shortcuts `decide` takes since its allocation profile (BENCHMARKS.md, "Profiles") against the
/// general paths they replace, exhaustively over small grids.
@Suite("decide's shortcuts agree with the general paths")
struct DecideFastPathTests {
    static let versions: [VersionFlavor: [String]] = [
        .docker: ["1", "2", "1.0", "1.2", "2.0", "1.0.0", "1.2.3", "1.2.4", "1.3.0", "2.0.0", "1.2.3.4", "1.2.3.5"],
        .semver: ["1.0.0", "1.2.3", "1.2.4", "1.3.0", "2.0.0", "0.0.1"],
        .pep440: ["1", "1.0", "1.2", "1.2.3", "1.2.4", "1.3", "2.0", "2.0.0.1"],
    ]

    @Test("the frontier read in place equals the rule on component arrays, for every pair and depth 0-4")
    func frontierInPlace() throws {
        for (flavor, texts) in Self.versions {
            let parsed = try texts.map { try Version(parsing: $0, flavor: flavor) }
            for depth in 0...4 {
                let frontier = Frontier(depth)
                for current in parsed {
                    for candidate in parsed {
                        #expect(
                            frontier.allowsAutomaticUpdate(from: current, to: candidate)
                                == frontier.allowsAutomaticUpdate(from: current.components, to: candidate.components),
                            "\(flavor) \(current) → \(candidate) at frontier \(depth)")
                    }
                }
            }
        }
    }

    static let tags = [
        "1.2.3", "1.2.4", "1.2.3-alpine", "1.2.4-alpine", "1.2.3-rc1", "1.2.3-alpine3.19", "latest", "1.2",
        "v1.2.3", "1.2.3.4", "1.2.x", "01.2.3", "99999999999999999999.1.1", "1.2.99999999999999999999-alpine",
        "sha256-0123abcd.sig", "1.2.3_final", "-1.2.3", "1.2.3-",
    ]

    @Test(
        "with a tagPattern, a tag of another shape is skipped only where parse(_:) accepts it; every other tag gets parse(_:)'s result",
        arguments: [#"^(?<version>\d+\.\d+\.\d+)(?<suffix>.*)$"#, #"^v?(?<version>\d+\.\d+\.\d+)(?<suffix>-[a-z]+)?$"#])
    func otherShapes(pattern: String) throws {
        let parser = TagParser(flavor: .docker, pattern: try TagPattern(pattern))
        var skipped = 0
        for currentText in ["1.2.3", "1.2.3-alpine"] {
            guard case .success(let current) = parser.parse(currentText) else { continue }
            for raw in Self.tags {
                let general = parser.parse(raw)
                let shortcut = parser.parse(raw, unlessOtherThan: current.shape)
                switch (general, shortcut) {
                case (.failure(let expected), .failure(let got)):
                    #expect(got == expected, "\(raw): \(got) instead of \(expected)")
                case (.success(let tag), .success(nil)):
                    skipped += 1
                    #expect(
                        tag.prefix != current.shape.prefix || tag.suffix != current.shape.suffix,
                        "\(raw) of the current shape was skipped")
                case (.success(let tag), .success(let got?)):
                    #expect(got == tag, "\(raw)")
                default:
                    Issue.record("\(raw) with pattern \(pattern): parse gave \(general), the shortcut \(shortcut)")
                }
            }
        }
        #expect(skipped > 0, "the shortcut never skipped a tag: this test no longer exercises it")
    }

    @Test("without a pattern, or with another flavour, the shortcut is parse(_:) itself")
    func noShortcutElsewhere() throws {
        let shape = try #require(try? TagParser().parse("1.2.3").get().shape)
        for parser in [
            TagParser(), TagParser(flavor: .semver), TagParser(flavor: .pep440),
            TagParser(flavor: .semver, pattern: try TagPattern(#"^(?<version>\d+\.\d+\.\d+)(?<suffix>.*)$"#)),
        ] {
            for raw in Self.tags {
                switch (parser.parse(raw), parser.parse(raw, unlessOtherThan: shape)) {
                case (.failure(let expected), .failure(let got)): #expect(got == expected, "\(raw)")
                case (.success(let tag), .success(let got)): #expect(got == tag, "\(raw)")
                default: Issue.record("\(raw): the shortcut and parse disagree")
                }
            }
        }
    }
}
