extension PEP440Version {
    /// Parses any spelling PEP 440 accepts: the same strings as `packaging.version.Version`
    /// (checked against `packaging` on a committed corpus in the tests).
    /// - Throws: ``VersionSyntaxError`` naming the first position no rule accepts.
    package init(parsing text: some StringProtocol) throws(VersionSyntaxError) {
        self = try ByteScanner.scan(text) { (scanner) throws(VersionSyntaxError) in try Self.parse(&scanner) }
    }

    private static func parse(_ scanner: inout ByteScanner) throws(VersionSyntaxError) -> PEP440Version {
        scanner.skipWhitespace()
        _ = scanner.consumeWord("v")

        guard var first = try scanner.readNumber() else {
            throw .expected("a release number", at: scanner.position, in: scanner.text)
        }
        var epoch: UInt64 = 0
        if scanner.consume(UInt8(ascii: "!")) {
            epoch = first
            guard let number = try scanner.readNumber() else {
                throw .expected("a release number", at: scanner.position, in: scanner.text)
            }
            first = number
        }
        var release: [UInt64] = []
        release.reserveCapacity(4)
        release.append(first)
        while true {
            let mark = scanner.position
            guard scanner.consume(UInt8(ascii: ".")), let number = try scanner.readNumber() else {
                scanner.position = mark
                break
            }
            release.append(number)
        }

        let pre = try Self.parsePre(&scanner)
        let post = try Self.parsePost(&scanner)
        let dev = try Self.parseDev(&scanner)
        var local: [LocalPart] = []
        if scanner.consume(UInt8(ascii: "+")) {
            guard let parts = Self.parseLocal(&scanner) else {
                throw .expected("a local version label", at: scanner.position, in: scanner.text)
            }
            local = parts
        }
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { throw .unexpected(at: scanner.position, in: scanner.text) }
        return PEP440Version(epoch: epoch, release: release, pre: pre, post: post, dev: dev, local: local)
    }

    /// `[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?[0-9]*`
    private static func parsePre(_ scanner: inout ByteScanner) throws(VersionSyntaxError) -> (Phase, UInt64)? {
        let mark = scanner.position
        _ = scanner.consumeSeparator()
        let phase: Phase
        if scanner.consumeWord("alpha") || scanner.consumeWord("a") {
            phase = .alpha
        } else if scanner.consumeWord("beta") || scanner.consumeWord("b") {
            phase = .beta
        } else if scanner.consumeWord("preview") || scanner.consumeWord("pre") || scanner.consumeWord("rc")
            || scanner.consumeWord("c")
        {
            phase = .releaseCandidate
        } else {
            scanner.position = mark
            return nil
        }
        return (phase, try readImplicitNumber(&scanner))
    }

    /// `-[0-9]+` or `[-_.]?(post|rev|r)[-_.]?[0-9]*`
    private static func parsePost(_ scanner: inout ByteScanner) throws(VersionSyntaxError) -> UInt64? {
        let mark = scanner.position
        if scanner.consume(UInt8(ascii: "-")), let number = try scanner.readNumber() {
            return number
        }
        scanner.position = mark
        _ = scanner.consumeSeparator()
        guard scanner.consumeWord("post") || scanner.consumeWord("rev") || scanner.consumeWord("r") else {
            scanner.position = mark
            return nil
        }
        return try readImplicitNumber(&scanner)
    }

    /// `[-_.]?dev[-_.]?[0-9]*`
    private static func parseDev(_ scanner: inout ByteScanner) throws(VersionSyntaxError) -> UInt64? {
        let mark = scanner.position
        _ = scanner.consumeSeparator()
        guard scanner.consumeWord("dev") else {
            scanner.position = mark
            return nil
        }
        return try readImplicitNumber(&scanner)
    }

    /// `[-_.]?[0-9]*` after a label: a missing number is 0. Consuming the separator greedily never
    /// loses a match, because every later segment starts with an optional separator of its own.
    private static func readImplicitNumber(_ scanner: inout ByteScanner) throws(VersionSyntaxError) -> UInt64 {
        _ = scanner.consumeSeparator()
        return try scanner.readNumber() ?? 0
    }

    /// `[a-z0-9]+([-_.][a-z0-9]+)*`, lowercased; numeric parts become numbers.
    private static func parseLocal(_ scanner: inout ByteScanner) -> [LocalPart]? {
        var parts: [LocalPart] = []
        repeat {
            let start = scanner.position
            while let byte = scanner.current, ByteScanner.isAlphaNumeric(byte) { scanner.position += 1 }
            guard scanner.position > start else { return nil }
            let slice = scanner.bytes[start..<scanner.position]
            if slice.allSatisfy(ByteScanner.isDigit), let value = UInt64(String(decoding: slice, as: UTF8.self)) {
                parts.append(.number(value))
            } else {
                parts.append(
                    .text(String(decoding: slice.map { ByteScanner.isAlpha($0) ? $0 | 0x20 : $0 }, as: UTF8.self)))
            }
        } while scanner.consumeSeparator()
        return parts
    }
}

extension ByteScanner {
    mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || (0x09...0x0D).contains(byte) { position += 1 }
    }
}
