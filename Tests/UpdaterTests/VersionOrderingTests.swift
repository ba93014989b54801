import Testing
import Updater

@Suite("Version orderings: numeric dotted, SemVer 2.0.0, PEP 440")
struct VersionOrderingTests {
    /// Each row is ascending; every adjacent pair must compare `<` (and not `==`).
    static let ascendingChains: [(VersionFlavor, [String])] = [
        (.docker, ["1", "1.0", "1.0.0", "1.2", "1.9", "1.10", "1.10.1", "2", "10"]),
        (.docker, ["5.3.2.0", "5.3.2.1", "5.3.3.2", "5.4.1"]),
        (.docker, ["2023.12.31", "2024.05.01", "2024.5.2", "2024.10.1"]),
        (.docker, ["9.9.9", "18446744073709551615"]),
        // SemVer 2.0.0 §11's own example chain.
        (
            .semver,
            [
                "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
                "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "1.9.0", "1.10.0", "2.0.0-0", "2.0.0",
            ]
        ),
        (.semver, ["1.0.0-1", "1.0.0-2", "1.0.0-10", "1.0.0-a", "1.0.0-a-b", "1.0.0-b"]),
        // PEP 440's own summary of the ordering, with every kind of segment.
        (
            .pep440,
            [
                "1.dev0", "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2",
                "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7",
                "1.0+5", "1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1", "1!0.1",
            ]
        ),
    ]

    @Test("each ordering puts known chains in ascending order", arguments: ascendingChains)
    func chains(flavor: VersionFlavor, chain: [String]) throws {
        let versions = try chain.map { try Version(parsing: $0, flavor: flavor) }
        for (lower, higher) in zip(versions, versions.dropFirst()) {
            #expect(lower < higher, "\(lower) < \(higher)")
            #expect(lower != higher)
            #expect(!(higher < lower))
        }
        #expect(versions.shuffled().sorted() == versions)
    }

    @Test(
        "equal versions: trailing zeros and spellings in PEP 440, build metadata in SemVer, leading zeros in docker",
        arguments: [
            (VersionFlavor.pep440, "1.0", "1.0.0"),
            (.pep440, "v1.0", "1.0"),
            (.pep440, "1.0-1", "1.0.post1"),
            (.pep440, "1.0alpha1", "1.0a1"),
            (.pep440, "1.0-C1", "1.0rc1"),
            (.pep440, "2022.01.05", "2022.1.5"),
            (.pep440, " 1.0.DEV ", "1.0.dev0"),
            (.semver, "1.0.0+build.1", "1.0.0+build.2"),
            (.docker, "2024.05.01", "2024.5.1"),
        ])
    func equalities(flavor: VersionFlavor, lhs: String, rhs: String) throws {
        let a = try Version(parsing: lhs, flavor: flavor)
        let b = try Version(parsing: rhs, flavor: flavor)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(!(a < b) && !(b < a))
    }

    @Test(
        "invalid versions are rejected with a reason",
        arguments: [
            (VersionFlavor.docker, "1..2"), (.docker, "1.2."), (.docker, "v1"), (.docker, ""),
            (.docker, "99999999999999999999"),
            (.semver, "1.2"), (.semver, "01.2.3"), (.semver, "1.2.3-01"), (.semver, "1.2.3-"), (.semver, "1.2.3+"),
            (.semver, "1.2.3-a..b"), (.semver, "1.2.3.4"), (.semver, "v1.2.3"),
            (.pep440, "1.0-alpine"), (.pep440, "latest"), (.pep440, "1.0."), (.pep440, "1.0_1"), (.pep440, "1.0+"),
        ])
    func invalid(flavor: VersionFlavor, text: String) {
        #expect(throws: VersionSyntaxError.self) { try Version(parsing: text, flavor: flavor) }
    }

    @Test("PEP 440 normalised form is what packaging prints (display only)")
    func pep440Normalisation() throws {
        let rows = [
            ("v1.2.1", "1.2.1"), ("1.0-1", "1.0.post1"), ("1!2.0RC1-dev", "1!2.0rc1.dev0"),
            ("1.0+Ubuntu-1", "1.0+ubuntu.1"),
            ("1.0a-", "1.0a0"), ("1.0a--1", "1.0a0.post1"), ("1.0-r", "1.0.post0"), ("01.02", "1.2"),
        ]
        for (input, normalised) in rows {
            #expect(try PEP440Version(parsing: input).description == normalised, "\(input)")
        }
    }

    @Test("pre-release classification per flavour")
    func preReleases() throws {
        #expect(try Version(parsing: "1.0.0-rc.1", flavor: .semver).isPreRelease)
        #expect(try !Version(parsing: "1.0.0+build", flavor: .semver).isPreRelease)
        #expect(try Version(parsing: "1.0.dev1", flavor: .pep440).isPreRelease)
        #expect(try Version(parsing: "1.0b2", flavor: .pep440).isPreRelease)
        #expect(try !Version(parsing: "1.0.post1", flavor: .pep440).isPreRelease)
        #expect(try !Version(parsing: "1.0.0", flavor: .docker).isPreRelease)
    }
}
