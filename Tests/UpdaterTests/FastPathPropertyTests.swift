import PropertyBased
import Testing
import Updater

@Suite("The docker fast path decides exactly like parse + select + decide")
struct FastPathPropertyTests {
    /// Messy docker-ish tags: prefixes, 1–4 components, suffixes that do and do not look numeric,
    /// floating tags, artefacts and invalid strings.
    static let messyTag = zip(
        Gen.element(of: ["", "v", "alpine", "r", "release-"]),
        Gen.int(in: 0...3).array(of: 1...4),
        Gen.element(of: ["", "-alpine", "-alpine3.19", ".RELEASE", "-rc1", "rc1", "-1.0", "."]),
        Gen.element(
            of: [
                nil, "latest", "mainline-alpine", "1..2", "-1.0", "1.2 3",
                "sha256-" + String(repeating: "ab", count: 32) + ".sig",
                "99999999999999999999999.1",
            ] as [String?])
    ).map { prefix, numbers, suffix, junk -> String in
        if let junk = junk ?? nil { return junk }
        return (prefix ?? "") + numbers.map(String.init).joined(separator: ".") + (suffix ?? "")
    }

    @Test("VersionPolicy (fast path) == TagParser + CandidateSelector + FrontierDecision")
    func agreement() async {
        await propertyCheck(
            count: 1000, input: Self.messyTag, Self.messyTag.array(of: 0...30), Gen.int(in: 0...5),
            Gen.element(of: UpdateMode.allCases)
        ) { currentRaw, list, depth, mode in
            let parser = TagParser()
            let frontier = Frontier(depth)
            guard case .success(let current) = parser.parse(currentRaw) else {
                // An unreadable current tag: the fast path must refuse it, as the general path does.
                #expect(throws: VersionPolicyError.self) {
                    try VersionPolicy(frontier: frontier, mode: mode ?? .update).decide(
                        currentTag: currentRaw, availableTags: list)
                }
                return
            }
            let fast = try VersionPolicy(frontier: frontier, mode: mode ?? .update).decide(
                currentTag: currentRaw, availableTags: list)
            let (tags, rejected) = parser.parseAll(list)
            let selection = CandidateSelector().select(current: current, from: tags)
            let general = FrontierDecision.decide(
                current: current, candidates: selection.candidates, frontier: frontier, mode: mode ?? .update,
                skipped: .skipped(
                    otherShape: selection.otherShape, preReleases: selection.preReleases, unreadable: rejected.count))
            #expect(fast == general, "current \(currentRaw), tags \(list)")
        }
    }
}
