extension StringProtocol {
    /// Whether the text contains CR, LF or NUL, which would end or corrupt a protocol line (header
    /// injection). Checked on bytes: `"\r\n"` is one `Character`, so a `Character` comparison misses it.
    var containsLineBreakOrNUL: Bool {
        utf8.contains { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") || $0 == 0 }
    }
}
