import struct Foundation.Data
import struct Foundation.Date

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The encodings an RFC 5322 / MIME text message needs: CRLF normalisation, quoted-printable and
/// base64 bodies (RFC 2045), RFC 2047 encoded-words, header folding and the RFC 5322 date.
enum MailEncoding {
    /// Every line ending (`\r\n`, `\r`, `\n`) as CRLF.
    static func crlf(_ text: String) -> String {
        lines(text).joined(separator: "\r\n")
    }

    private static func lines(_ text: String) -> [Substring] {
        text.replacingOccurrences("\r\n", "\n").replacingOccurrences("\r", "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
    }

    /// Quoted-printable (RFC 2045 §6.7) of the UTF-8 text, CRLF line endings, lines at most 76 characters.
    static func quotedPrintable(_ text: String) -> String {
        lines(text).map { quotedPrintableLine(Array($0.utf8)) }.joined(separator: "\r\n")
    }

    private static func quotedPrintableLine(_ bytes: [UInt8]) -> String {
        var output: [String] = []
        var current = ""
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let token: String
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                // Trailing white space would be stripped in transit: encode it at the end of a line.
                token = isLast ? hexEscape(byte) : String(UnicodeScalar(byte))
            case 33...126 where byte != UInt8(ascii: "="):
                token = String(UnicodeScalar(byte))
            default:
                token = hexEscape(byte)
            }
            // 76 characters per line including the soft break's "=".
            if current.utf8.count + token.utf8.count > (isLast ? 76 : 75) {
                output.append(current + "=")
                current = ""
            }
            current += token
        }
        output.append(current)
        return output.joined(separator: "\r\n")
    }

    private static func hexEscape(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "=" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }

    /// Base64 of the bytes in lines of 76 characters, CRLF separated.
    static func base64Lines(_ data: Data) -> String {
        let encoded = Array(data.base64EncodedString().utf8)
        return stride(from: 0, to: encoded.count, by: 76).map {
            String(decoding: encoded[$0..<min($0 + 76, encoded.count)], as: UTF8.self)
        }.joined(separator: "\r\n")
    }

    /// The text itself when it is printable ASCII, else RFC 2047 `=?UTF-8?B?…?=` encoded-words
    /// (each at most 75 characters, never splitting a character), separated by spaces.
    static func encodedWordsIfNeeded(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { $0.isASCII && ($0.value >= 32 && $0.value < 127) }
        if plain && !text.contains("=?") { return text }
        var words: [String] = []
        var chunk = Data()
        for character in text {
            let bytes = Data(String(character).utf8)
            // 39 bytes → 52 base64 characters; with "=?UTF-8?B?" and "?=" 64 ≤ 75, and "Subject: " still fits 78.
            if chunk.count + bytes.count > 39, !chunk.isEmpty {
                words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=") }
        return words.joined(separator: " ")
    }

    /// `Name <address>` with the name quoted or encoded as needed, or the bare address.
    static func mailbox(_ mailbox: MailMessage.Mailbox) -> String {
        guard let name = mailbox.name, !name.isEmpty else { return mailbox.address }
        let isASCII = name.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 32 && $0.value < 127 }
        let display: String
        if !isASCII || name.contains("=?") {
            display = encodedWordsIfNeeded(name)
        } else if name.contains(where: { "()<>[]:;@\\,.\"".contains($0) }) {
            display = "\"" + name.replacingOccurrences("\\", "\\\\").replacingOccurrences("\"", "\\\"") + "\""
        } else {
            display = name
        }
        return "\(display) <\(mailbox.address)>"
    }

    /// Folds a header line at spaces so that no line exceeds 78 characters where a space allows it.
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 78 else { return line }
        var lines: [String] = []
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            if !current.isEmpty, current.utf8.count + 1 + word.utf8.count > 78 {
                lines.append(current)
                current = String(word)
            } else {
                current = current.isEmpty && lines.isEmpty ? String(word) : current + " " + word
            }
        }
        lines.append(current)
        return lines.joined(separator: "\r\n ")
    }

    /// `Wed, 25 Nov 2026 16:00:00 +0000`: the RFC 5322 date, in UTC.
    static func rfc5322Date(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) +0000"
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
