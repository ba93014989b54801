import struct Foundation.Data

/// Assembles the final response head from libcurl's header callback lines.
///
/// libcurl passes every head it receives: interim `1xx` heads (e.g. `100 Continue`, `103 Early Hints`)
/// and then the final one, each a status line, fields, and a blank line. Only a blank line ending a
/// non-1xx head completes the head; a new status line starts over. (Proxy `CONNECT` responses are
/// suppressed with `CURLOPT_SUPPRESS_CONNECT_HEADERS`, and redirects are not followed.)
struct CurlResponseHead: Sendable {
    private(set) var isComplete = false
    var status = 0
    private(set) var headers = HTTPHeaders()

    /// Consumes one raw header line (with or without its CRLF).
    mutating func consume(line raw: UnsafeRawBufferPointer) {
        var line = Substring(String(decoding: raw, as: UTF8.self))
        while let last = line.last, last.isNewline { line = line.dropLast() }
        if line.isEmpty {
            if status != 0, !(100..<200).contains(status) || status == 101 { isComplete = true }
            return
        }
        if line.hasPrefix("HTTP/") {
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count >= 2 ? Int(parts[1]) ?? 0 : 0
            headers = HTTPHeaders()
            return
        }
        if let first = line.first, first == " " || first == "\t" {
            // Obsolete line folding (RFC 9112 §5.2): continues the previous field's value.
            headers.appendToLastValue(" " + line.trimmingSpaces)
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        headers.add(String(line[..<colon]), String(line[line.index(after: colon)...].trimmingSpaces))
    }

    /// Marks the head complete (the body started, or the transfer ended, without a blank line seen).
    mutating func markComplete() { isComplete = true }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var value = self
        while let first = value.first, first == " " || first == "\t" { value = value.dropFirst() }
        while let last = value.last, last == " " || last == "\t" { value = value.dropLast() }
        return value
    }
}

extension HTTPHeaders {
    /// Appends text to the value of the last field (for folded header lines).
    fileprivate mutating func appendToLastValue(_ text: Substring) {
        guard let last = fields.last else { return }
        var pairs = fields.dropLast().map { ($0.name, $0.value) }
        pairs.append((last.name, last.value + text))
        self = HTTPHeaders(pairs)
    }
}
