import Testing
import Updater

@Suite("The SemVer parser accepts exactly the SemVer 2.0.0 grammar")
struct SemVerGrammarPropertyTests {
    /// The regular expression semver.org publishes for SemVer 2.0.0: the reference the hand-written
    /// byte parser is checked against.
    static let grammar =
        #"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"#
        + #"(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"#

    @Test("SemanticVersion(parsing:) succeeds exactly on the grammar's strings, and round-trips")
    func agreement() async throws {
        let grammar = try Regex(Self.grammar)
        let tokens = ["0", "1", "2", "01", "10", ".", ".", "-", "+", "a", "rc", "B", "x-y", "00", "9"]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
        var accepted = 0
        for round in 0..<20_000 {
            // CPU-bound (Swift Regex is the reference): let the suite's other tasks run in between.
            if round % 200 == 0 { await Task.yield() }
            let core = next(4) == 0 ? "" : "\(["0", "1", "12"][next(3)]).\(["0", "3", "04"][next(3)]).\(next(3))"
            let text = core + (0..<next(7)).map { _ in tokens[next(tokens.count)] }.joined()
            let parsed = try? SemanticVersion(parsing: text)
            let valid = (try? grammar.wholeMatch(in: text)) != nil
            #expect((parsed != nil) == valid, "\(text): parser \(parsed.map(String.init(describing:)) ?? "rejects")")
            if let parsed {
                accepted += 1
                #expect(parsed.description == text, "\(text) reads back as \(parsed)")
            }
        }
        #expect(accepted > 2000, "only \(accepted) valid strings generated")
    }
}
