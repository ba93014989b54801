import Testing
import Updater

@Suite("Decisions on real-world tag lists")
struct RealWorldDecisionTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var list: String
        var tags: [String]
        var flavor: VersionFlavor = .docker
        var current: String
        var frontier: Int
        var mode: UpdateMode = .update
        var update: String?
        var notify: String?
        var testDescription: String {
            "\(list) \(current) frontier \(frontier)\(mode == .notifyOnly ? " NotifyOnly" : "") → "
                + "update \(update ?? "-"), notify \(notify ?? "-")"
        }
    }

    typealias L = RealWorldTagLists

    static let rows: [Row] = [
        // nginx: suffix kept, precision kept, floating tags and signatures ignored.
        Row(
            list: "nginx", tags: L.nginx, current: "1.25.3-alpine", frontier: 2, update: "1.25.5-alpine",
            notify: "1.27.0-alpine"),
        Row(list: "nginx", tags: L.nginx, current: "1.25.3-alpine", frontier: 1, update: "1.27.0-alpine"),
        Row(list: "nginx", tags: L.nginx, current: "1.25.3-alpine", frontier: 0, update: "1.27.0-alpine"),
        Row(list: "nginx", tags: L.nginx, current: "1.25.3-alpine", frontier: 3, notify: "1.27.0-alpine"),
        Row(list: "nginx", tags: L.nginx, current: "1.25", frontier: 1, update: "1.26"),
        Row(list: "nginx", tags: L.nginx, current: "1.25-alpine", frontier: 1),
        Row(list: "nginx", tags: L.nginx, current: "1.25.3", frontier: 2, update: "1.25.4", notify: "1.27.0"),
        Row(list: "nginx", tags: L.nginx, current: "1.25.3-alpine-slim", frontier: 1, update: "1.27.0-alpine-slim"),
        Row(list: "nginx", tags: L.nginx, current: "1.27.0-alpine", frontier: 1),
        Row(
            list: "nginx", tags: L.nginx, current: "1.25.3-alpine", frontier: 2, mode: .notifyOnly,
            notify: "1.27.0-alpine"),
        // node: the alpine version is part of the suffix.
        Row(
            list: "node", tags: L.node, current: "20.11.1-alpine3.19", frontier: 1, update: "20.12.2-alpine3.19",
            notify: "22.1.0-alpine3.19"),
        Row(
            list: "node", tags: L.node, current: "20.11.1-bookworm-slim", frontier: 1,
            update: "20.12.2-bookworm-slim", notify: "22.1.0-bookworm-slim"),
        Row(list: "node", tags: L.node, current: "20.11.1", frontier: 1, update: "20.12.2", notify: "22.1.0"),
        Row(list: "node", tags: L.node, current: "20", frontier: 1),
        // python: rc/alpha/beta tags have another suffix under docker rules, so they never compete.
        Row(
            list: "python", tags: L.python, current: "3.12.3-slim-bookworm", frontier: 2,
            update: "3.12.4-slim-bookworm", notify: "3.13.0-slim-bookworm"),
        Row(list: "python", tags: L.python, current: "3.12.3", frontier: 2, update: "3.12.4", notify: "3.13.0"),
        Row(list: "python", tags: L.python, current: "3.12", frontier: 1, update: "3.13"),
        Row(list: "python", tags: L.python, current: "3.12-slim", frontier: 2, notify: "3.13-slim"),
        Row(
            list: "python", tags: L.python.filter { !$0.contains("-") && $0.first?.isNumber == true },
            flavor: .pep440, current: "3.12.3", frontier: 1, update: "3.13.0"),
        Row(
            list: "python", tags: L.python.filter { !$0.contains("-") && $0.first?.isNumber == true },
            flavor: .pep440, current: "3.13.0rc1", frontier: 1, update: "3.14.0a1"),
        Row(
            list: "python", tags: L.python.filter { !$0.contains("-") && $0.first?.isNumber == true },
            flavor: .pep440, current: "3.13.0rc1", frontier: 2, update: "3.13.0", notify: "3.14.0a1"),
        // postgres: two-part versions, beta/rc as suffixes.
        Row(list: "postgres", tags: L.postgres, current: "16.3", frontier: 1, update: "16.4", notify: "17.0"),
        Row(
            list: "postgres", tags: L.postgres, current: "16.3-alpine3.20", frontier: 1,
            update: "16.4-alpine3.20", notify: "17.0-alpine3.20"),
        Row(list: "postgres", tags: L.postgres, current: "16", frontier: 1, notify: "17"),
        Row(list: "postgres", tags: L.postgres, current: "16-alpine", frontier: 0),
        Row(list: "postgres", tags: L.postgres, current: "15.7", frontier: 0, update: "17.0"),
        // redis
        Row(
            list: "redis", tags: L.redis, current: "7.2.4-alpine", frontier: 2, update: "7.2.5-alpine",
            notify: "7.4.0-alpine"),
        Row(list: "redis", tags: L.redis, current: "6.2.14", frontier: 1, notify: "7.4.0"),
        Row(list: "redis", tags: L.redis, current: "6.2.14", frontier: 2, notify: "7.4.0"),
        Row(list: "redis", tags: L.redis, current: "7.2-alpine", frontier: 1),
        // SemVer: prefix kept, pre-releases only from a pre-release, numeric 1.2.10 > 1.2.4.
        Row(
            list: "semver", tags: L.semverProject, flavor: .semver, current: "v1.2.3", frontier: 2,
            update: "v1.2.10", notify: "v2.0.0"),
        Row(
            list: "semver", tags: L.semverProject, flavor: .semver, current: "v1.2.4-rc.1", frontier: 1,
            update: "v1.3.0-beta.1", notify: "v2.0.0"),
        Row(list: "semver", tags: L.semverProject, flavor: .semver, current: "v2.0.0", frontier: 1),
        // PEP 440 (the original's GitLab path): v-tags only with v-tags, the registry's string written back.
        Row(
            list: "pep440", tags: L.pep440Project, flavor: .pep440, current: "1.0.1", frontier: 2,
            update: "1.0.2", notify: "2.0.0"),
        Row(list: "pep440", tags: L.pep440Project, flavor: .pep440, current: "1.0", frontier: 0),
        Row(
            list: "pep440", tags: L.pep440Project, flavor: .pep440, current: "1.0.1", frontier: 3,
            update: "1.0.1.post1", notify: "2.0.0"),
    ]

    @Test("real-world tag lists give the expected update and notify targets", arguments: rows)
    func decide(_ row: Row) throws {
        let policy = try VersionPolicy(
            flavor: row.flavor, frontier: Frontier(row.frontier), mode: row.mode)
        let decision = try policy.decide(currentTag: row.current, availableTags: row.tags)
        #expect(decision.update == row.update)
        #expect(decision.notify == row.notify)
        for tag in [decision.update, decision.notify, decision.latestAllowed, decision.latestAvailable]
        where tag != nil {
            #expect(row.tags.contains(tag!), "decisions only name listed tags")
        }
    }

    @Test("registry order does not matter: a backport pushed last is never an update (no downgrade)")
    func backportPushedLast() throws {
        let tags = ["1.21.6", "1.21.5", "1.20.3"]  // newest-pushed first, as Docker Hub lists
        let decision = try VersionPolicy(frontier: 0).decide(currentTag: "1.21.5", availableTags: tags)
        #expect(decision.update == "1.21.6")
        let none = try VersionPolicy(frontier: 0).decide(currentTag: "1.21.6", availableTags: tags)
        #expect(none.isUpToDate)
        #expect(none.reasons.first == .noNewerVersion)
    }

    @Test("the original's normalisation bug: PEP 440 tags are written back as listed, never normalised")
    func writesRegistryStrings() throws {
        let policy = try VersionPolicy(flavor: .pep440, frontier: 0)
        #expect(try policy.decide(currentTag: "v1.2.0", availableTags: ["v1.2.0", "v1.2.1"]).update == "v1.2.1")
        #expect(
            try policy.decide(currentTag: "2022.01.05", availableTags: ["2022.01.05", "2022.02.01"]).update
                == "2022.02.01")
        #expect(try policy.decide(currentTag: "1.0", availableTags: ["1.0", "1.0-1"]).update == "1.0-1")
    }

    @Test("the original's empty-tag bug: a 'latest' tag in the list never becomes an update")
    func latestInList() throws {
        let decision = try VersionPolicy(flavor: .pep440, frontier: 2).decide(
            currentTag: "1.2.0", availableTags: ["latest", "1.2.0"])
        #expect(decision.isUpToDate)
    }

    @Test("the original's GitLab table (curr 1.2.0, tags 1.2.0/1.2.1/1.3.0/2.0.0) with corrections")
    func gitlabTable() throws {
        let tags = ["1.2.0", "1.2.1", "1.3.0", "2.0.0"]
        func decide(_ frontier: Int) throws -> VersionDecision {
            try VersionPolicy(flavor: .pep440, frontier: Frontier(frontier)).decide(
                currentTag: "1.2.0", availableTags: tags)
        }
        #expect(try decide(2).update == "1.2.1")
        #expect(try decide(1).update == "1.3.0")
        #expect(try decide(0).update == "2.0.0")
        #expect(try decide(3).update == nil)  // frontier == length: everything protected
        #expect(try decide(3).notify == "2.0.0")  // corrected: the original said nothing at all
        #expect(try decide(4).update == "2.0.0")  // frontier deeper than the version: protects nothing
    }
}
