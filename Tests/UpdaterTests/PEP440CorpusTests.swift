import Foundation
import Testing
import Updater

/// The ordering of Python's `packaging` on a committed corpus (Scripts/generate-pep440-corpus.py).
@Suite("PEP 440 agrees with Python's packaging on the committed corpus")
struct PEP440CorpusTests {
    struct Corpus: Decodable {
        struct Entry: Decodable {
            var version: String
            var normalized: String
            var rank: Int
            var isPreRelease: Bool
        }

        var packaging: String
        var ordered: [Entry]
        var invalid: [String]
    }

    static func load() throws -> Corpus {
        let url = try #require(
            Bundle.module.url(forResource: "pep440-corpus", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(Corpus.self, from: Data(contentsOf: url))
    }

    @Test("the corpus is large enough to mean something")
    func size() throws {
        let corpus = try Self.load()
        #expect(corpus.ordered.count >= 2000)
        #expect(Set(corpus.ordered.map(\.rank)).count >= 1000)
        #expect(corpus.invalid.count >= 100)
    }

    @Test("every valid version parses, normalises and classifies as packaging says")
    func parsesAll() throws {
        for entry in try Self.load().ordered {
            let version = try PEP440Version(parsing: entry.version)
            #expect(version.description == entry.normalized, "\(entry.version)")
            #expect(version.isPreRelease == entry.isPreRelease, "\(entry.version)")
        }
    }

    @Test("sorting the shuffled corpus gives packaging's order, with equal versions equal")
    func order() throws {
        let corpus = try Self.load()
        let parsed = try corpus.ordered.map { (try PEP440Version(parsing: $0.version), $0.rank) }
        for ((a, rankA), (b, rankB)) in zip(parsed, parsed.dropFirst()) {
            if rankA == rankB {
                #expect(a == b && !(a < b) && !(b < a))
            } else {
                #expect(a < b && a != b && !(b < a))
            }
        }
        var generator = SystemRandomNumberGenerator()
        let resorted = parsed.shuffled(using: &generator).sorted { $0.0 < $1.0 }
        #expect(resorted.map(\.1) == parsed.map(\.1))
    }

    @Test("every string packaging rejects is rejected")
    func rejectsInvalid() throws {
        for text in try Self.load().invalid {
            #expect(throws: VersionSyntaxError.self, "\(text)") { try PEP440Version(parsing: text) }
        }
    }
}
