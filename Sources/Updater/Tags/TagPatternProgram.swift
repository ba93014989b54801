/// A `tagPattern` compiled, when it uses only the common subset of regular-expression syntax, into
/// a backtracking program over a tag's bytes: what ``TagPattern`` runs instead of Swift `Regex` on
/// each of a registry's tags (Swift `Regex` costs microseconds per tag).
///
/// The subset: ASCII literals, `.`, `\d \D \w \W \s \S`, escaped punctuation, bracket classes of
/// literals, ranges and those escapes (optionally negated), groups `(…)`, `(?:…)`, `(?<name>…)`,
/// alternation, the quantifiers `* + ? {n} {n,} {n,m}` (greedy or lazy) over a part that cannot
/// match the empty string, and the anchors `^ $`. Anything else (flags, look-around, back
/// references, Unicode properties, possessive quantifiers…) makes ``init(_:)`` return nil and the
/// pattern keeps using Swift `Regex`.
///
/// The program explores the same alternatives in the same order as Swift `Regex` (first
/// alternative first, greedy quantifiers longest first, lazy ones shortest first; a group repeated
/// keeps its last iteration), so the whole match and its groups are the same. It is only run on
/// valid tags (`[A-Za-z0-9_.-]`): on that alphabet a character is one byte and one grapheme, and the
/// Unicode definitions of `\d`, `\w`, `\s` and `.` reduce to their ASCII ones. A property test
/// checks the agreement with Swift `Regex` on random patterns and tags.
struct TagPatternProgram: Sendable {
    /// One step of the program.
    enum Instruction: Sendable {
        /// Consume one byte in the set.
        case byte(ByteSet)
        /// Consume `min...max` bytes in the set, trying the most first (greedy) or the fewest first
        /// (lazy): the same order as the split loop it stands for, without a step per byte.
        case repeatSet(ByteSet, min: Int, max: Int, lazy: Bool)
        /// Try `first`; if the rest fails from there, try `second`.
        case split(first: Int, second: Int)
        case jump(Int)
        /// Record the position in capture slot `slot` (group `slot / 2`, start or end).
        case save(slot: Int)
        case assertStart
        case assertEnd
        /// Succeed if the whole tag was consumed.
        case match
    }

    let instructions: [Instruction]
    /// Two slots (start, end) per capturing group, numbered from 1 as in the pattern.
    let slotCount: Int
    /// The capturing group of each name.
    let groups: [String: Int]

    /// Compiles `source`, or nil when it uses syntax outside the subset (or repeats counted more
    /// than 64 times, which would make a large program).
    init?(_ source: String) {
        var parser = Parser(bytes: Array(source.utf8))
        guard let node = parser.parseAlternation(), parser.isAtEnd else { return nil }
        var emitter = Emitter()
        emitter.emit(node)
        emitter.instructions.append(.match)
        instructions = emitter.instructions
        slotCount = 2 * (parser.groupCount + 1)
        groups = parser.names
    }

    /// Whether the program matches all of `bytes`: `.match(onMatch(slots))` with the capture slots
    /// (start and end offsets per group, -1 when a group did not participate), `.noMatch`, or
    /// `.tooExpensive` when the search took more than `budget` steps (a pathological pattern: the
    /// caller falls back to Swift `Regex`).
    func wholeMatch<Result>(
        _ bytes: UnsafeBufferPointer<UInt8>, budget: Int = 20_000,
        onMatch: (UnsafeMutableBufferPointer<Int>) -> Result
    ) -> Outcome<Result> {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: slotCount) { slots in
            slots.initialize(repeating: -1)
            var run = Run(instructions: instructions, bytes: bytes, slots: slots, stepsLeft: budget)
            if run.backtrack(0, 0) { return .match(onMatch(slots)) }
            return run.stepsLeft < 0 ? .tooExpensive : .noMatch
        }
    }

    /// The result of ``wholeMatch(_:budget:onMatch:)``.
    enum Outcome<Result> {
        case match(Result)
        case noMatch
        case tooExpensive
    }
}

/// A set of ASCII bytes.
struct ByteSet: Sendable, Equatable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    init() {}

    init(_ byte: UInt8) { insert(byte) }

    init(range: ClosedRange<UInt8>) {
        for byte in range { insert(byte) }
    }

    static let digits = ByteSet(range: 0x30...0x39)
    static let word: ByteSet = {
        var set = ByteSet(range: 0x30...0x39)
        set.formUnion(ByteSet(range: 0x41...0x5A))
        set.formUnion(ByteSet(range: 0x61...0x7A))
        set.insert(UInt8(ascii: "_"))
        return set
    }()
    static let space: ByteSet = {
        var set = ByteSet(range: 0x09...0x0D)
        set.insert(0x20)
        return set
    }()
    /// `.`: every ASCII byte but a newline.
    static let anyButNewline = ByteSet(range: 0x0B...0x7F).union(ByteSet(range: 0x00...0x09))

    func contains(_ byte: UInt8) -> Bool {
        byte < 64 ? low & (1 << byte) != 0 : byte < 128 && high & (1 << (byte - 64)) != 0
    }

    mutating func insert(_ byte: UInt8) {
        if byte < 64 { low |= 1 << byte } else if byte < 128 { high |= 1 << (byte - 64) }
    }

    mutating func formUnion(_ other: ByteSet) {
        low |= other.low
        high |= other.high
    }

    func union(_ other: ByteSet) -> ByteSet {
        var set = self
        set.formUnion(other)
        return set
    }

    /// The complement within ASCII.
    var inverted: ByteSet {
        var set = ByteSet()
        set.low = ~low
        set.high = ~high
        return set
    }
}

extension TagPatternProgram {
    /// The parsed pattern.
    indirect enum Node {
        case set(ByteSet)
        case assertStart
        case assertEnd
        case concatenation([Node])
        case alternation([Node])
        case group(Node, capture: Int?)
        case repetition(Node, min: Int, max: Int?, lazy: Bool)

        /// Whether the node can match without consuming a byte.
        var isNullable: Bool {
            switch self {
            case .set: false
            case .assertStart, .assertEnd: true
            case .concatenation(let nodes): nodes.allSatisfy(\.isNullable)
            case .alternation(let nodes): nodes.contains(where: \.isNullable)
            case .group(let node, _): node.isNullable
            case .repetition(let node, let min, _, _): min == 0 || node.isNullable
            }
        }
    }

    /// A recursive-descent parser of the subset; every method returns nil for syntax outside it.
    struct Parser {
        let bytes: [UInt8]
        var position = 0
        var groupCount = 0
        var names: [String: Int] = [:]

        var isAtEnd: Bool { position == bytes.count }
        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        static let maximumCount = 64

        mutating func parseAlternation() -> Node? {
            var branches: [Node] = []
            while true {
                guard let branch = parseConcatenation() else { return nil }
                branches.append(branch)
                guard current == UInt8(ascii: "|") else { break }
                position += 1
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        mutating func parseConcatenation() -> Node? {
            var nodes: [Node] = []
            while let byte = current, byte != UInt8(ascii: "|"), byte != UInt8(ascii: ")") {
                guard let node = parseQuantified() else { return nil }
                nodes.append(node)
            }
            return .concatenation(nodes)
        }

        mutating func parseQuantified() -> Node? {
            guard let atom = parseAtom() else { return nil }
            guard let byte = current else { return atom }
            var bounds: (min: Int, max: Int?)
            switch byte {
            case UInt8(ascii: "*"): bounds = (0, nil)
            case UInt8(ascii: "+"): bounds = (1, nil)
            case UInt8(ascii: "?"): bounds = (0, 1)
            case UInt8(ascii: "{"):
                guard let counted = parseCount() else { return nil }
                bounds = counted
                position -= 1  // parseCount stops after `}`; the common step below skips one byte
            default: return atom
            }
            position += 1
            var lazy = false
            if current == UInt8(ascii: "?") {
                lazy = true
                position += 1
            }
            // Possessive quantifiers, stacked quantifiers and empty repeated parts stay with `Regex`.
            if let next = current,
                [UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{")]
                    .contains(next)
            {
                return nil
            }
            guard !atom.isNullable else { return nil }
            if let max = bounds.max, max < bounds.min { return nil }
            return .repetition(atom, min: bounds.min, max: bounds.max, lazy: lazy)
        }

        /// `{n}`, `{n,}`, `{n,m}` with n, m ≤ ``maximumCount``; leaves `position` after the `}`.
        mutating func parseCount() -> (min: Int, max: Int?)? {
            position += 1
            guard let min = parseDecimal() else { return nil }
            var max: Int? = min
            if current == UInt8(ascii: ",") {
                position += 1
                max = current == UInt8(ascii: "}") ? nil : parseDecimal()
                if max == nil, current != UInt8(ascii: "}") { return nil }
            }
            guard current == UInt8(ascii: "}") else { return nil }
            position += 1
            return (min, max)
        }

        mutating func parseDecimal() -> Int? {
            var value = 0
            var digits = 0
            while let byte = current, ByteScanner.isDigit(byte) {
                value = value * 10 + Int(byte - 0x30)
                digits += 1
                position += 1
                if value > Self.maximumCount { return nil }
            }
            return digits == 0 ? nil : value
        }

        mutating func parseAtom() -> Node? {
            guard let byte = current else { return nil }
            position += 1
            switch byte {
            case UInt8(ascii: "("): return parseGroup()
            case UInt8(ascii: "["): return parseClass()
            case UInt8(ascii: "."): return .set(.anyButNewline)
            case UInt8(ascii: "^"): return .assertStart
            case UInt8(ascii: "$"): return .assertEnd
            case UInt8(ascii: "\\"):
                guard let escaped = current else { return nil }
                position += 1
                if let set = Self.classEscape(escaped) { return .set(set) }
                return Self.isEscapablePunctuation(escaped) ? .set(ByteSet(escaped)) : nil
            default:
                return Self.isPlainLiteral(byte) ? .set(ByteSet(byte)) : nil
            }
        }

        mutating func parseGroup() -> Node? {
            var capture: Int?
            if current == UInt8(ascii: "?") {
                position += 1
                switch current {
                case UInt8(ascii: ":"):
                    position += 1
                case UInt8(ascii: "<"):
                    position += 1
                    guard let name = parseName(), names[name] == nil else { return nil }
                    groupCount += 1
                    names[name] = groupCount
                    capture = groupCount
                default:
                    return nil
                }
            } else {
                groupCount += 1
                capture = groupCount
            }
            guard let inner = parseAlternation(), current == UInt8(ascii: ")") else { return nil }
            position += 1
            return .group(inner, capture: capture)
        }

        /// `[A-Za-z_][A-Za-z0-9_]*>`
        mutating func parseName() -> String? {
            let start = position
            while let byte = current, ByteSet.word.contains(byte) { position += 1 }
            guard position > start, !ByteScanner.isDigit(bytes[start]), current == UInt8(ascii: ">") else {
                return nil
            }
            position += 1
            return String(decoding: bytes[start..<(position - 1)], as: UTF8.self)
        }

        /// `[…]` / `[^…]` of literals, ranges and class escapes; no nesting, POSIX classes or set
        /// operations (`&&`, `--`, `~~`), and a literal `-` only first or last.
        mutating func parseClass() -> Node? {
            var negated = false
            if current == UInt8(ascii: "^") {
                negated = true
                position += 1
            }
            var set = ByteSet()
            var first = true
            while true {
                guard let byte = current else { return nil }
                if byte == UInt8(ascii: "]"), !first { break }
                guard let item = parseClassItem(first: first) else { return nil }
                first = false
                switch item {
                case .set(let escapeSet):
                    set.formUnion(escapeSet)
                case .byte(let low):
                    guard current == UInt8(ascii: "-"), position + 1 < bytes.count,
                        bytes[position + 1] != UInt8(ascii: "]")
                    else {
                        set.insert(low)
                        continue
                    }
                    position += 1
                    guard case .byte(let high) = parseClassItem(first: false), low <= high,
                        high != UInt8(ascii: "-")
                    else { return nil }
                    set.formUnion(ByteSet(range: low...high))
                }
            }
            position += 1
            return .set(negated ? set.inverted : set)
        }

        enum ClassItem {
            case byte(UInt8)
            case set(ByteSet)
        }

        /// One literal (plain or escaped) or class escape inside brackets.
        mutating func parseClassItem(first: Bool) -> ClassItem? {
            guard let byte = current else { return nil }
            position += 1
            switch byte {
            case UInt8(ascii: "\\"):
                guard let escaped = current else { return nil }
                position += 1
                if let set = Self.classEscape(escaped) {
                    // `[\d-x]` is not a range: leave it to `Regex`.
                    return current == UInt8(ascii: "-") && bytes.dropFirst(position + 1).first != UInt8(ascii: "]")
                        ? nil : .set(set)
                }
                return Self.isEscapablePunctuation(escaped) ? .byte(escaped) : nil
            case UInt8(ascii: "-"):
                // Literal only first or last, never doubled.
                let last = current == UInt8(ascii: "]")
                return (first || last) && current != UInt8(ascii: "-") ? .byte(byte) : nil
            default:
                return Self.isPlainLiteral(byte) || Array(#".$|()*+?{}"#.utf8).contains(byte) ? .byte(byte) : nil
            }
        }

        static func classEscape(_ byte: UInt8) -> ByteSet? {
            switch byte {
            case UInt8(ascii: "d"): .digits
            case UInt8(ascii: "D"): ByteSet.digits.inverted
            case UInt8(ascii: "w"): .word
            case UInt8(ascii: "W"): ByteSet.word.inverted
            case UInt8(ascii: "s"): .space
            case UInt8(ascii: "S"): ByteSet.space.inverted
            default: nil
            }
        }

        /// Punctuation that an escape turns into itself.
        static func isEscapablePunctuation(_ byte: UInt8) -> Bool {
            Array(#".-+*?()[]{}|\^$/"#.utf8).contains(byte)
        }

        /// Letters, digits and punctuation without a meaning in a pattern (not space or `#`, which
        /// extended syntax reads differently, nor `&` and `~`, set operators inside brackets).
        static func isPlainLiteral(_ byte: UInt8) -> Bool {
            ByteScanner.isAlphaNumeric(byte) || Array(#"_-,:;=!@%'"<>`/"#.utf8).contains(byte)
        }
    }

    /// Lays the parsed pattern out as instructions.
    struct Emitter {
        var instructions: [Instruction] = []

        mutating func emit(_ node: Node) {
            switch node {
            case .set(let set): instructions.append(.byte(set))
            case .assertStart: instructions.append(.assertStart)
            case .assertEnd: instructions.append(.assertEnd)
            case .concatenation(let nodes): for node in nodes { emit(node) }
            case .alternation(let branches):
                var jumps: [Int] = []
                for (index, branch) in branches.enumerated() {
                    if index < branches.count - 1 {
                        let split = instructions.count
                        instructions.append(.jump(-1))
                        emit(branch)
                        jumps.append(instructions.count)
                        instructions.append(.jump(-1))
                        instructions[split] = .split(first: split + 1, second: instructions.count)
                    } else {
                        emit(branch)
                    }
                }
                for jump in jumps { instructions[jump] = .jump(instructions.count) }
            case .group(let inner, let capture):
                if let capture { instructions.append(.save(slot: 2 * capture)) }
                emit(inner)
                if let capture { instructions.append(.save(slot: 2 * capture + 1)) }
            case .repetition(.set(let set), let min, let max, let lazy):
                instructions.append(.repeatSet(set, min: min, max: max ?? Int.max, lazy: lazy))
            case .repetition(let inner, let min, let max, let lazy):
                for _ in 0..<min { emit(inner) }
                if let max {
                    // Nested optionals: once one is skipped, so are the rest.
                    var splits: [Int] = []
                    for _ in min..<max {
                        splits.append(instructions.count)
                        instructions.append(.jump(-1))
                        emit(inner)
                    }
                    let end = instructions.count
                    for split in splits { instructions[split] = Self.choice(body: split + 1, skip: end, lazy: lazy) }
                } else {
                    let loop = instructions.count
                    instructions.append(.jump(-1))
                    emit(inner)
                    instructions.append(.jump(loop))
                    instructions[loop] = Self.choice(body: loop + 1, skip: instructions.count, lazy: lazy)
                }
            }
        }

        static func choice(body: Int, skip: Int, lazy: Bool) -> Instruction {
            lazy ? .split(first: skip, second: body) : .split(first: body, second: skip)
        }
    }

    /// One backtracking search.
    struct Run {
        let instructions: [Instruction]
        let bytes: UnsafeBufferPointer<UInt8>
        let slots: UnsafeMutableBufferPointer<Int>
        var stepsLeft: Int

        /// Whether the program matches the rest of the tag from instruction `pc` at offset `sp`.
        mutating func backtrack(_ pc: Int, _ sp: Int) -> Bool {
            var pc = pc
            var sp = sp
            while true {
                stepsLeft -= 1
                if stepsLeft < 0 { return false }
                switch instructions[pc] {
                case .byte(let set):
                    guard sp < bytes.count, set.contains(bytes[sp]) else { return false }
                    pc += 1
                    sp += 1
                case .repeatSet(let set, let min, let max, let lazy):
                    var end = sp
                    while end < bytes.count, end - sp < max, set.contains(bytes[end]) { end += 1 }
                    guard end - sp >= min else { return false }
                    if lazy {
                        var count = sp + min
                        while count < end {
                            if backtrack(pc + 1, count) { return true }
                            if stepsLeft < 0 { return false }
                            count += 1
                        }
                        pc += 1
                        sp = end
                    } else {
                        while end > sp + min {
                            if backtrack(pc + 1, end) { return true }
                            if stepsLeft < 0 { return false }
                            end -= 1
                        }
                        pc += 1
                        sp = end
                    }
                case .split(let first, let second):
                    if backtrack(first, sp) { return true }
                    if stepsLeft < 0 { return false }
                    pc = second
                case .jump(let target):
                    pc = target
                case .save(let slot):
                    let previous = slots[slot]
                    slots[slot] = sp
                    if backtrack(pc + 1, sp) { return true }
                    slots[slot] = previous
                    return false
                case .assertStart:
                    guard sp == 0 else { return false }
                    pc += 1
                case .assertEnd:
                    guard sp == bytes.count else { return false }
                    pc += 1
                case .match:
                    return sp == bytes.count
                }
            }
        }
    }
}
