import PropertyBased
import Testing
import Updater

@Suite("Every flavour and tagPattern decides exactly like parse all + select + decide")
struct FlavorPathPropertyTests {
    /// Versions of every flavour's syntax (some invalid in some flavours), prefixes, junk.
    static let messyTag = zip(
        Gen.element(of: ["", "v", "V", "release-"]),
        Gen.int(in: 0...3).array(of: 1...4),
        Gen.element(
            of: ["", "-alpine", "-rc.1", "-rc.01", "a1", "rc2", ".post1", ".dev3", "+local.1", "-1", "+b.5", "-0", "."]
        ),
        Gen.element(
            of: [
                nil, "latest", "1..2", "1.2 3", "sha256-" + String(repeating: "ab", count: 32) + ".sig",
                "99999999999999999999999.1", "1.2.3-alpha..1",
            ] as [String?])
    ).map { prefix, numbers, suffix, junk -> String in
        if let junk = junk ?? nil { return junk }
        return (prefix ?? "") + numbers.map(String.init).joined(separator: ".") + (suffix ?? "")
    }

    static let patterns: [String?] = [
        nil, nil, #"^(?<version>\d+\.\d+\.\d+)(?<suffix>.*)$"#,
        #"^v?(?<version>\d+(?:\.\d+)*)(?:-(?<prerelease>rc\.?\d+))?$"#,
        #"^(?<prefix>[a-z]*-?)(?<version>\d+\.\d+)(?<suffix>.*)$"#, #"(?i)^v(?<version>[\d.]+)$"#,
    ]

    @Test("VersionPolicy.decide == TagParser.parseAll + CandidateSelector + FrontierDecision")
    func agreement() async {
        await propertyCheck(
            count: 1500, input: Self.messyTag, Self.messyTag.array(of: 0...30), Gen.int(in: 0...3),
            Gen.element(of: VersionFlavor.allCases), Gen.int(in: 0...(Self.patterns.count - 1))
        ) { currentRaw, list, depth, flavor, patternIndex in
            let flavor = flavor ?? .docker
            let source = Self.patterns[patternIndex]
            let pattern = try source.map { try TagPattern($0) }
            let parser = TagParser(flavor: flavor, pattern: pattern)
            let policy = VersionPolicy(parser: parser, frontier: Frontier(depth))
            guard case .success(let current) = parser.parse(currentRaw) else {
                #expect(throws: VersionPolicyError.self) {
                    try policy.decide(currentTag: currentRaw, availableTags: list)
                }
                return
            }
            let decision = try policy.decide(currentTag: currentRaw, availableTags: list)
            let (tags, rejected) = parser.parseAll(list)
            let selection = CandidateSelector().select(current: current, from: tags)
            let reference = FrontierDecision.decide(
                current: current, candidates: selection.candidates, frontier: Frontier(depth), mode: .update,
                skipped: .skipped(
                    otherShape: selection.otherShape, preReleases: selection.preReleases, unreadable: rejected.count))
            #expect(decision == reference, "\(flavor) pattern \(source ?? "-") current \(currentRaw), tags \(list)")
        }
    }
}
