import Foundation
import PropertyBased
import Testing
import Updater

@Suite("Properties of orderings and decisions")
struct PolicyPropertyTests {
    // MARK: Generators

    /// Dotted numbers with few distinct values, so equal and near versions are common.
    static let numericText = Gen.int(in: 0...4).array(of: 1...4).map { $0.map(String.init).joined(separator: ".") }

    static let semverText = zip(
        Gen.int(in: 0...3).array(of: 3),
        Gen.element(of: ["", "-alpha", "-alpha.1", "-beta.2", "-beta.11", "-rc.1", "-0", "-1.a", "+build.5", "-rc.1+b"])
    ).map { numbers, tail in numbers.map(String.init).joined(separator: ".") + (tail ?? "") }

    /// Docker-style tags: optional `v`, 3 components, optional suffix; frequent collisions.
    static let dockerTag = zip(
        Gen.element(of: ["", "v"]), Gen.int(in: 0...3).array(of: 3), Gen.element(of: ["", "-alpine", "-rc1"])
    ).map { prefix, numbers, suffix in (prefix ?? "") + numbers.map(String.init).joined(separator: ".") + (suffix ?? "")
    }

    /// The committed corpus's spellings; a missing or unreadable corpus fails the test (never a tiny
    /// stand-in that would make the property trivially true).
    static func pep440Strings() throws -> [String] {
        let strings = try PEP440CorpusTests.load().ordered.map(\.version)
        try #require(strings.count >= 1000, "the PEP 440 corpus has only \(strings.count) versions")
        return strings
    }

    static func checkTotalOrder(_ a: Version, _ b: Version, _ c: Version) {
        // Exactly one of <, ==, > holds.
        let relations = [a < b, a == b, b < a].filter { $0 }.count
        #expect(relations == 1, "\(a) vs \(b)")
        if a == b { #expect(a.hashValue == b.hashValue, "\(a) == \(b) but hashes differ") }
        if a < b, b < c { #expect(a < c, "\(a) < \(b) < \(c) but not \(a) < \(c)") }
        if a == b, b == c { #expect(a == c) }
        #expect(!(a < a) && a == a)
    }

    // MARK: Total orders

    @Test("numeric dotted ordering is a total order consistent with equality")
    func numericTotalOrder() async {
        await propertyCheck(count: 500, input: Self.numericText, Self.numericText, Self.numericText) { a, b, c in
            Self.checkTotalOrder(
                try Version(parsing: a, flavor: .docker), try Version(parsing: b, flavor: .docker),
                try Version(parsing: c, flavor: .docker))
        }
    }

    @Test("SemVer ordering is a total order consistent with equality")
    func semverTotalOrder() async {
        await propertyCheck(count: 500, input: Self.semverText, Self.semverText, Self.semverText) { a, b, c in
            Self.checkTotalOrder(
                try Version(parsing: a, flavor: .semver), try Version(parsing: b, flavor: .semver),
                try Version(parsing: c, flavor: .semver))
        }
    }

    @Test("PEP 440 ordering is a total order consistent with equality (on corpus spellings)")
    func pep440TotalOrder() async throws {
        let strings = try Self.pep440Strings()
        let pick = Gen.int(in: 0...(strings.count - 1))
        await propertyCheck(count: 1000, input: pick, pick, pick) { i, j, k in
            Self.checkTotalOrder(
                try Version(parsing: strings[i], flavor: .pep440), try Version(parsing: strings[j], flavor: .pep440),
                try Version(parsing: strings[k], flavor: .pep440))
        }
    }

    @Test("tag ordering is a total order in which equal means the same string")
    func tagTotalOrder() async {
        await propertyCheck(count: 500, input: Self.dockerTag, Self.dockerTag) { a, b in
            let x = try TagParser().parse(a).get()
            let y = try TagParser().parse(b).get()
            #expect([x < y, x == y, y < x].filter { $0 }.count == 1)
            #expect((x == y) == (a == b))
        }
    }

    // MARK: Decisions

    @Test("decisions never return a downgrade nor a tag outside the input")
    func neverDowngradeNorOutside() async {
        await propertyCheck(
            count: 500, input: Self.dockerTag, Self.dockerTag.array(of: 0...25), Gen.int(in: 0...4),
            Gen.element(of: UpdateMode.allCases)
        ) { currentRaw, list, frontier, mode in
            let policy = VersionPolicy(frontier: Frontier(frontier), mode: mode ?? .update)
            let decision = try policy.decide(currentTag: currentRaw, availableTags: list)
            let current = try TagParser().parse(currentRaw).get()
            for chosen in [decision.update, decision.notify, decision.latestAllowed, decision.latestAvailable] {
                guard let chosen else { continue }
                #expect(list.contains(chosen), "\(chosen) is not in \(list)")
                let tag = try TagParser().parse(chosen).get()
                #expect(tag.version > current.version, "\(chosen) is not newer than \(currentRaw)")
                #expect(tag.shape == current.shape)
            }
            if mode == .notifyOnly { #expect(decision.update == nil) }
        }
    }

    @Test("raising N never turns a notify into an update of a bigger change (N within the version's length)")
    func raisingFrontierIsMonotonic() async {
        await propertyCheck(count: 500, input: Self.dockerTag, Self.dockerTag.array(of: 0...25)) { currentRaw, list in
            let parser = TagParser()
            let current = try parser.parse(currentRaw).get()
            var previous: VersionDecision?
            for depth in 0...current.version.components.count {
                let decision = try VersionPolicy(frontier: Frontier(depth)).decide(
                    currentTag: currentRaw, availableTags: list)
                if let previous {
                    // The newest available never changes with N; the update target only shrinks.
                    #expect(decision.latestAvailable == previous.latestAvailable)
                    if let update = decision.update {
                        let before = try #require(
                            previous.update, "N=\(depth) updates to \(update) but N=\(depth - 1) did not")
                        #expect(try parser.parse(update).get() <= parser.parse(before).get())
                    }
                    if previous.notify != nil { #expect(decision.notify == previous.notify) }
                }
                previous = decision
            }
        }
    }

    @Test("the frontier rule on two versions: within N ⊇ within N+1 while N+1 ≤ the shorter length")
    func frontierRuleNested() async {
        await propertyCheck(count: 500, input: Self.numericText, Self.numericText) { a, b in
            let x = try NumericVersion(parsing: a).components
            let y = try NumericVersion(parsing: b).components
            for depth in 0..<min(x.count, y.count) where Frontier(depth + 1).allowsAutomaticUpdate(from: x, to: y) {
                #expect(Frontier(depth).allowsAutomaticUpdate(from: x, to: y))
            }
        }
    }
}
