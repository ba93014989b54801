import Testing
import Updater

@Suite("Frontier decision and candidate selection rules")
struct FrontierDecisionTests {
    static func tags(_ raws: [String], flavor: VersionFlavor = .docker) throws -> [ImageTag] {
        try raws.map { try TagParser(flavor: flavor).parse($0).get() }
    }

    @Test("update within the frontier and notify beyond it can hold at once")
    func both() throws {
        let current = try TagParser().parse("5.3.2.0").get()
        let candidates = try Self.tags(["5.3.2.1", "5.3.3.2", "5.4.1.0"])
        let decision = FrontierDecision.decide(current: current, candidates: candidates, frontier: 2, mode: .update)
        #expect(decision.action == .updateAndNotify)
        #expect(decision.update == "5.3.3.2")
        #expect(decision.notify == "5.4.1.0")
        #expect(decision.latestAllowed == "5.3.3.2")
        #expect(decision.latestAvailable == "5.4.1.0")
        #expect(decision.reasons.map(\.code) == ["withinFrontier", "beyondFrontier"])
    }

    @Test(
        "actions by frontier",
        arguments: [
            (0, VersionDecision.Action.update, "5.4.1.0" as String?, nil as String?),
            (1, .update, "5.4.1.0", nil),
            (2, .updateAndNotify, "5.3.3.2", "5.4.1.0"),
            (3, .updateAndNotify, "5.3.2.1", "5.4.1.0"),
            (4, .notify, nil, "5.4.1.0"),
            (5, .update, "5.4.1.0", nil),  // deeper than the versions: protects nothing (original rule)
        ])
    func byFrontier(frontier: Int, action: VersionDecision.Action, update: String?, notify: String?) throws {
        let current = try TagParser().parse("5.3.2.0").get()
        let candidates = try Self.tags(["5.3.2.1", "5.3.3.2", "5.4.1.0"])
        let decision = FrontierDecision.decide(
            current: current, candidates: candidates, frontier: Frontier(frontier), mode: .update)
        #expect(decision.action == action)
        #expect(decision.update == update)
        #expect(decision.notify == notify)
    }

    @Test("NotifyOnly never updates and reports the newest version")
    func notifyOnly() throws {
        let current = try TagParser().parse("1.0.0").get()
        let decision = FrontierDecision.decide(
            current: current, candidates: try Self.tags(["1.0.1", "2.0.0"]), frontier: 0, mode: .notifyOnly)
        #expect(decision.update == nil)
        #expect(decision.notify == "2.0.0")
        #expect(decision.latestAllowed == "2.0.0")
        #expect(decision.reasons.first == .notifyOnly(tag: "2.0.0"))
    }

    @Test("no candidates: up to date with a reason")
    func upToDate() throws {
        let current = try TagParser().parse("1.0.0").get()
        let decision = FrontierDecision.decide(current: current, candidates: [], frontier: 1, mode: .update)
        #expect(decision.isUpToDate)
        #expect(decision.reasons == [.noNewerVersion])
    }

    @Test("older or equal candidates passed by mistake are never chosen")
    func neverDowngrade() throws {
        let current = try TagParser().parse("2.0.0").get()
        let decision = FrontierDecision.decide(
            current: current, candidates: try Self.tags(["1.9.9", "2.0.0"]), frontier: 0, mode: .update)
        #expect(decision.isUpToDate)
    }

    @Test("selection: same prefix, suffix and component count; pre-releases only from a pre-release")
    func selection() throws {
        let parser = TagParser(flavor: .docker)
        let current = try parser.parse("v1.2.3").get()
        let all = try ["v1.2.4", "1.2.4", "v1.2.4-alpine", "v1.3", "v1.2.3", "v1.2.2", "v1.2.10"].map {
            try parser.parse($0).get()
        }
        let selection = CandidateSelector().select(current: current, from: all)
        #expect(selection.candidates.map(\.raw) == ["v1.2.4", "v1.2.10"])
        #expect(selection.otherShape == 3)
        #expect(selection.notNewer == 2)

        let semver = TagParser(flavor: .semver)
        let semverTags = try ["1.2.4", "1.2.5-rc.1", "1.3.0"].map { try semver.parse($0).get() }
        let fromRelease = CandidateSelector().select(current: try semver.parse("1.2.3").get(), from: semverTags)
        #expect(fromRelease.candidates.map(\.raw) == ["1.2.4", "1.3.0"])
        #expect(fromRelease.preReleases == 1)
        let fromPre = CandidateSelector().select(current: try semver.parse("1.2.4-rc.1").get(), from: semverTags)
        #expect(fromPre.candidates.map(\.raw) == ["1.2.4", "1.2.5-rc.1", "1.3.0"])
    }

    @Test("the skipped-tags reason counts what selection left out")
    func skippedReason() throws {
        let decision = try VersionPolicy(frontier: 1).decide(
            currentTag: "1.0.0", availableTags: ["latest", "1.0", "1.0.1", RealWorldTagLists.signature])
        #expect(decision.reasons.last == .skipped(otherShape: 1, preReleases: 0, unreadable: 2))
        #expect(decision.reasons.last?.description.contains("skipped 1 tag") == true)
    }
}
