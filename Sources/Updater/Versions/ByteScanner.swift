/// A cursor over the UTF-8 bytes of a string, for the hand-written version parsers (they run on
/// every tag of a registry, so they avoid regular expressions and allocation: the bytes are the
/// string's own storage, see ``scan(_:_:)``).
struct ByteScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Runs `body` on a scanner over `text`'s UTF-8 bytes, read in place (a native string is not
    /// copied; registry tags are native).
    static func scan<Value>(
        _ text: some StringProtocol, _ body: (inout ByteScanner) throws(VersionSyntaxError) -> Value
    ) throws(VersionSyntaxError) -> Value {
        func run(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<Value, VersionSyntaxError> {
            var scanner = ByteScanner(buffer)
            do throws(VersionSyntaxError) {
                return .success(try body(&scanner))
            } catch {
                return .failure(error)
            }
        }
        if let result = text.utf8.withContiguousStorageIfAvailable(run) { return try result.get() }
        var copy = String(text)
        return try copy.withUTF8(run).get()
    }

    /// The whole text, for error messages.
    var text: String { String(decoding: bytes, as: UTF8.self) }

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
            if overflow1 || overflow2 { throw .numberTooLarge(in: text) }
            value = sum
            position += 1
        }
        return position == start ? nil : value
    }
}
