/// A cursor over the UTF-8 bytes of a string, for the hand-written version parsers (they run on
/// every tag of a registry, so they avoid regular expressions and allocation).
struct ByteScanner {
    let bytes: [UInt8]
    var position = 0

    init(_ text: some StringProtocol) {
        bytes = Array(text.utf8)
    }

    var isAtEnd: Bool { position == bytes.count }
    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
    static func isAlpha(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }
    static func isAlphaNumeric(_ byte: UInt8) -> Bool { isDigit(byte) || isAlpha(byte) }

    /// Consumes `byte` if it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard current == byte else { return false }
        position += 1
        return true
    }

    /// Consumes one of `-`, `_`, `.` if next (PEP 440's optional separators).
    mutating func consumeSeparator() -> Bool {
        guard let byte = current, byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        else { return false }
        position += 1
        return true
    }

    /// Consumes `word` case-insensitively (ASCII letters) if it is next.
    mutating func consumeWord(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let matches = word.withUTF8Buffer { buffer in
            for index in 0..<count where bytes[position + index] | 0x20 != buffer[index] { return false }
            return true
        }
        if matches { position += count }
        return matches
    }

    /// Reads a run of decimal digits (at most 19 significant digits), or nil if none is next.
    mutating func readNumber() throws(VersionSyntaxError) -> UInt64? {
        let start = position
        var value: UInt64 = 0
        while let byte = current, Self.isDigit(byte) {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(byte &- 0x30))
            if overflow1 || overflow2 { throw .numberTooLarge(in: String(decoding: bytes, as: UTF8.self)) }
            value = sum
            position += 1
        }
        return position == start ? nil : value
    }
}
