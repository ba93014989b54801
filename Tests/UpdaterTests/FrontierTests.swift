import Testing
import Updater

/// The frontier rule against the original k8sUpdater: its README table, its unit-test vectors and
/// the further vectors verified by running it (its `perform_automatic_update` run under Python).
@Suite("Frontier rule: the original's README table and test vectors")
struct FrontierTests {
    static func shouldUpdate(_ current: String, _ latest: String, _ frontier: Int) throws -> Bool {
        Frontier(frontier).shouldUpdate(
            from: try NumericVersion(parsing: current), to: try NumericVersion(parsing: latest))
    }

    @Test(
        "the README table (frontier 2): 5.3.2.0 → 5.3.2.1 update, → 5.3.3.2 update, → 5.4.1 notify",
        arguments: [("5.3.2.0", "5.3.2.1", true), ("5.3.2.0", "5.3.3.2", true), ("5.3.2.0", "5.4.1", false)])
    func readmeTable(current: String, latest: String, update: Bool) throws {
        #expect(try Self.shouldUpdate(current, latest, 2) == update)
    }

    /// `tests/utilities_tests.py` `test_docker_perform_automatic_update`, all of which hold.
    @Test(
        "the original's unit-test vectors hold with numeric comparison",
        arguments: [
            ("3.2.0", "3.2.1", -1, true),
            ("3.2.0", "3.2.1", 5, true),
            ("3.2.2", "4.2.1", 2, false),
            ("3.2.2", "4.2.5", 2, false),
            ("3.2.2", "3.2.5", 2, true),
            ("3.2.5", "3.2.5", 2, false),
            ("3.1.2.1", "3.2.1", 5, true),
            ("3.1.2.1", "3.2.1", 2, false),
            ("3.1.2.1", "3.2.5", 2, false),
            ("3.1.2.1", "3.1.5", 2, true),
            ("3.1.2", "3.2.1.1", 5, true),
            ("3.1.2", "3.2.1.1", 2, false),
            ("3.1.2", "3.2.5.1", 2, false),
            ("3.1.2", "3.1.5.1", 2, true),
            ("3.1.5", "3.1.5.1", 2, true),
        ])
    func originalVectors(current: String, latest: String, frontier: Int, update: Bool) throws {
        #expect(try Self.shouldUpdate(current, latest, frontier) == update)
    }

    /// Further vectors verified against the original (as-is behaviour) that numeric comparison keeps.
    @Test(
        "further verified vectors that hold",
        arguments: [
            ("1.2", "1.3", 1, true),
            ("1.2", "1.3", 2, false),
            ("1.2", "1.3", 3, true),  // a frontier deeper than the versions protects nothing (original rule)
            ("1.2.0", "1.2.1", 3, false),  // frontier == length: every component is protected
        ])
    func furtherVectors(current: String, latest: String, frontier: Int, update: Bool) throws {
        #expect(try Self.shouldUpdate(current, latest, frontier) == update)
    }

    // MARK: Corrected answers, one test each

    @Test(
        "corrected: 1.9.0 → 1.10.0 at frontier 2 is a minor change, so notify (the original's '10' < '9' said update)")
    func correctedMinorAcrossDigits() throws {
        #expect(try Self.shouldUpdate("1.9.0", "1.10.0", 2) == false)
        #expect(try Self.shouldUpdate("1.9.0", "1.9.10", 2) == true)
    }

    @Test("corrected: 9.0 → 10.0 at frontier 1 is a major change, so notify (string comparison said update)")
    func correctedMajorAcrossDigits() throws {
        #expect(try Self.shouldUpdate("9.0", "10.0", 1) == false)
    }

    @Test("corrected: 1.2.9 → 1.2.10 at frontier 3 changes a protected component like 1.2.0 → 1.2.1, so notify")
    func correctedPatchAcrossDigits() throws {
        #expect(try Self.shouldUpdate("1.2.9", "1.2.10", 3) == false)
        #expect(try Self.shouldUpdate("1.2.0", "1.2.1", 3) == false)
    }

    @Test("corrected: 1.2.3 → 1.2.3 at frontier 0 is no change at all (the original said update to itself)")
    func correctedSameVersion() throws {
        #expect(try Self.shouldUpdate("1.2.3", "1.2.3", 0) == false)
        #expect(try Self.shouldUpdate("1.2.3", "1.2.4", 0) == true)
    }

    @Test("corrected: a version is never 'updated' to an older one (the original's rule ignored direction)")
    func correctedDirection() throws {
        #expect(try Self.shouldUpdate("1.5.0", "1.4.9", 1) == false)
    }

    @Test("corrected: latest → latest and 1.0 → latest are not version decisions but digest decisions")
    func correctedFloating() throws {
        #expect(TagParser().parse("latest") == .failure(.noVersion))
        let policy = VersionPolicy(frontier: 1)
        #expect(try policy.decide(currentTag: "1.0", availableTags: ["latest", "1.0"]).isUpToDate)
        #expect(throws: VersionPolicyError.currentTagNotVersioned(tag: "latest", reason: .noVersion)) {
            try policy.decide(currentTag: "latest", availableTags: ["latest"])
        }
    }

    @Test("negative frontiers mean 0 (always update), as VERSIONS_FRONTIER<=0 did")
    func negativeFrontier() {
        #expect(Frontier(-3) == Frontier.alwaysUpdate)
        #expect(Frontier(-3).depth == 0)
    }
}
