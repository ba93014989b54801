import Testing
import Updater

@Suite("A tagPattern's byte program matches exactly like Swift Regex")
struct TagPatternProgramTests {
    /// Random patterns over the supported subset (and a few constructs outside it, which must fall
    /// back to `Regex`), with a `version` group and sometimes `prefix`, `suffix`, `prerelease`.
    struct PatternBuilder {
        var state: UInt64

        init(seed: Int) { state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 | 1 }

        mutating func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }

        mutating func pick(_ options: [String]) -> String { options[next(options.count)] }

        static let atoms = [
            "a", "b", "1", "0", "-", "_", #"\."#, ".", #"\d"#, #"\d"#, #"\w"#, #"\D"#, #"\W"#, #"\s"#, #"\S"#, "[a-c]",
            "[0-9.]", "[^.]", "[a-f0-9-]", "[-a]", "[.$|]", #"[^\d]"#, #"[\w.]"#, "x", "rc", "alpine", #"\-"#,
        ]
        static let outsideSubset = [#"\b"#, "(?i:a)", "[[:digit:]]", "(?=1)", "a*+", #"\p{L}"#, " ", "(?:a*)*"]
        static let quantifiers = [
            "", "", "", "", "*", "+", "?", "{2}", "{1,3}", "{0,2}", "{2,}", "*?", "+?", "??", "{1,2}?",
        ]

        mutating func atom(depth: Int) -> String {
            switch next(14) {
            case 0 where depth < 3: "(?:" + alternation(depth: depth + 1) + ")"
            case 1 where depth < 3: "(" + alternation(depth: depth + 1) + ")"
            case 2: next(8) == 0 ? pick(Self.outsideSubset) : pick(["^", "$"])
            default: pick(Self.atoms)
            }
        }

        mutating func piece(depth: Int) -> String {
            let atom = atom(depth: depth)
            return atom == "^" || atom == "$" ? atom : atom + pick(Self.quantifiers)
        }

        mutating func sequence(depth: Int) -> String {
            (0..<(1 + next(3))).map { _ in piece(depth: depth) }.joined()
        }

        mutating func alternation(depth: Int) -> String {
            next(4) == 0 ? sequence(depth: depth) + "|" + sequence(depth: depth) : sequence(depth: depth)
        }

        mutating func pattern() -> String {
            var text = next(2) == 0 ? "^" : ""
            switch next(4) {
            case 0: text += "(?<prefix>" + sequence(depth: 1) + ")"
            case 1: text += sequence(depth: 1)
            default: break
            }
            let version = [#"\d+(?:\.\d+)*"#, #"\d+\.\d+\.\d+"#, #"[0-9.]+"#][next(3)]
            text += "(?<version>" + (next(3) == 0 ? sequence(depth: 1) : version) + ")"
            switch next(6) {
            case 0: text += "(?:-(?<prerelease>" + sequence(depth: 1) + "))?"
            case 4:
                // A named group inside a loop: the last iteration that took it counts.
                text += "(?:-(?<suffix>" + sequence(depth: 1) + ")|" + sequence(depth: 1) + ")"
                text += pick(["+", "*", "{1,3}", "+?"])
            case 1: text += "(?<suffix>" + sequence(depth: 1) + ")"
            case 2: text += "(?<suffix>.*)"
            case 3: text += alternation(depth: 1)
            default: break
            }
            return text + (next(2) == 0 ? "$" : "")
        }

        /// Tag-like strings over a small alphabet, so that patterns match often.
        mutating func tag() -> String {
            let tokens = ["1", "2", "0", "10", ".", ".", "-", "a", "b", "rc", "alpine", "_", "x", "1.2", "3"]
            let text = (0..<next(9)).map { _ in pick(tokens) }.joined()
            return next(20) == 0 ? text + " " : text
        }
    }

    @Test("match (byte program when compiled) == regexMatch (Swift Regex) on random patterns and tags")
    func agreement() async throws {
        var compiled = 0
        var matched = 0
        var patterns = 0
        for seed in 0..<600 {
            // CPU-bound (Swift Regex is the reference): let the suite's other tasks run in between.
            await Task.yield()
            var builder = PatternBuilder(seed: seed)
            let source = builder.pattern()
            guard let pattern = try? TagPattern(source) else { continue }
            patterns += 1
            if pattern.isCompiledToProgram { compiled += 1 }
            for _ in 0..<40 {
                let tag = builder.tag()
                let fast = pattern.match(tag)
                let reference = pattern.regexMatch(tag)
                #expect(fast == reference, "pattern \(source), tag \"\(tag)\"")
                if let fast, let reference {
                    // Same positions, not only the same text.
                    #expect(fast.version.startIndex == reference.version.startIndex, "pattern \(source), tag \(tag)")
                    #expect(
                        fast.preRelease?.startIndex == reference.preRelease?.startIndex,
                        "pattern \(source), tag \(tag)")
                }
                if reference != nil { matched += 1 }
            }
        }
        // The generator must exercise the program: most patterns compile and many tags match.
        #expect(patterns > 500, "only \(patterns) of 600 generated patterns are valid")
        #expect(compiled > patterns * 3 / 4, "only \(compiled) of \(patterns) patterns compiled to a program")
        #expect(matched > 1000, "only \(matched) matching (pattern, tag) pairs")
    }

    @Test("the usual patterns run as programs; constructs outside the subset keep using Regex")
    func subset() throws {
        for source in [
            #"^(?<version>\d+\.\d+\.\d+)(?<suffix>.*)$"#, #"^build-(?<version>\d+)-(?<suffix>[a-f0-9]+)$"#,
            #"^v?(?<version>\d+\.\d+\.\d+)(?:-(?<prerelease>rc\.?\d+))?-alpine$"#,
            #"^(?<prefix>[a-z]+)-(?<version>\d+(\.\d+)*)$"#,
            #"^release-(?<version>\d+\.\d+)(?:-(?<prerelease>rc\d+))?$"#,
            #"(?<version>\d{1,4}(?:\.\d{1,4}){2})-bookworm"#,
        ] {
            #expect(try TagPattern(source).isCompiledToProgram, "\(source)")
        }
        for source in [
            #"(?i)^v(?<version>\d+)$"#, #"^(?<version>\d+)(?=-)-.*$"#, #"^(?<version>\d+)\b.*$"#,
            #"^(?<version>(?:\d*)*)$"#, #"^(?<version>\d++)$"#, #"^(?<version>[[:digit:]]+)$"#,
            #"^(?<version>[\d&&[^0]]+)$"#, #"^(?<version>\d+)(?<version2>x)?\1$"#,
        ] {
            guard let pattern = try? TagPattern(source) else { continue }
            #expect(!pattern.isCompiledToProgram, "\(source)")
            for tag in ["1", "12", "v1", "V1", "1-a", "0", "1x", "11", "1x1"] {
                #expect(pattern.match(tag) == pattern.regexMatch(tag), "pattern \(source), tag \(tag)")
            }
        }
    }

    @Test("a pattern that backtracks exponentially gives Regex's answer (the program gives up)")
    func pathological() throws {
        let pattern = try TagPattern(#"^(?<version>(?:\d+)+)x$"#)
        #expect(pattern.isCompiledToProgram)
        let tag = String(repeating: "1", count: 16)
        #expect(pattern.match(tag) == nil)
        #expect(pattern.match(tag + "x")?.version == Substring(tag))
    }
}
