import Foundation

/// One line of a YAML block mapping, as text: indentation, an optional sequence dash, a plain key,
/// a scalar value (its exact source text) and whatever follows it (spaces and a comment).
///
/// Only what the writers need: they edit a value's text in place and leave every other byte as it was.
struct YAMLLine: Hashable {
    /// Everything before the key (indentation and `- `).
    var prefix: String
    var key: String
    /// `:` and the spaces after it.
    var separator: String
    /// The value as written, quotes included ("" when the value is on the next lines or empty).
    var value: String
    /// Spaces, a comment, a carriage return: kept as they are.
    var rest: String

    /// The column of the key.
    var keyColumn: Int { prefix.count }
    /// Whether the line starts a sequence item (`- key: value`).
    var isItemStart: Bool { prefix.trimmingCharacters(in: .whitespaces).hasPrefix("-") }

    var text: String { prefix + key + separator + value + rest }

    /// The lines of `text`, split at each `\n` (a `\r` before it stays on its line; `"\r\n"` is a
    /// single Character, so a Character split would not see it), with the text after the last `\n`
    /// (empty when the text ends with one) as the last element.
    static func lines(of text: String) -> [String] {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String(Substring($0)) }
    }

    /// The value without quotes (YAML escapes resolved for `\"` and `''` only).
    var unquoted: String { Self.unquote(value) }

    /// Parses `- key: value # comment`; nil for other lines (comments, blank, flow, no colon).
    init?(_ line: String) {
        let characters = Array(line)
        var index = 0
        while index < characters.count, characters[index] == " " { index += 1 }
        if index < characters.count, characters[index] == "-",
            index + 1 < characters.count, characters[index + 1] == " "
        {
            index += 2
            while index < characters.count, characters[index] == " " { index += 1 }
        }
        let keyStart = index
        while index < characters.count,
            characters[index].isLetter || characters[index].isNumber || "_.-$/".contains(characters[index])
        {
            index += 1
        }
        guard index > keyStart, index < characters.count, characters[index] == ":" else { return nil }
        let keyEnd = index
        index += 1
        guard
            index == characters.count || characters[index] == " " || characters[index] == "\t"
                || characters[index] == "\r"
        else { return nil }
        while index < characters.count, characters[index] == " " || characters[index] == "\t" { index += 1 }
        let valueStart = index
        if index < characters.count, characters[index] == "\"" || characters[index] == "'" {
            let quote = characters[index]
            index += 1
            while index < characters.count {
                if quote == "\"", characters[index] == "\\" {
                    index += 2
                    continue
                }
                if characters[index] == quote {
                    if quote == "'", index + 1 < characters.count, characters[index + 1] == "'" {
                        index += 2
                        continue
                    }
                    index += 1
                    break
                }
                index += 1
            }
            index = min(index, characters.count)
        } else {
            // A plain scalar ends at " #" or the end of the line (trailing spaces belong to `rest`).
            var end = index
            while end < characters.count, characters[end] != "\r" {
                if characters[end] == "#", end > valueStart, characters[end - 1] == " " || characters[end - 1] == "\t" {
                    break
                }
                end += 1
            }
            if index < characters.count, characters[index] == "#" { end = valueStart }
            while end > valueStart, characters[end - 1] == " " || characters[end - 1] == "\t" { end -= 1 }
            index = end
        }
        prefix = String(characters[0..<keyStart])
        key = String(characters[keyStart..<keyEnd])
        separator = String(characters[keyEnd..<valueStart])
        value = String(characters[valueStart..<index])
        rest = String(characters[index...])
    }

    /// The line with `newValue` in place of the value, quoted like the old value (or double-quoted
    /// when a plain scalar would not read back as the same string).
    func replacing(value newValue: String) -> String {
        var copy = self
        if separator == ":" { copy.separator = ": " }
        copy.value = Self.quoted(newValue, like: value)
        return copy.text
    }

    /// `text` as a YAML scalar: in `existing`'s quote style, or plain when that reads back as the string.
    static func quoted(_ text: String, like existing: String = "") -> String {
        if existing.hasPrefix("'") { return "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
        if existing.hasPrefix("\"") || needsQuotes(text) {
            return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                + "\""
        }
        return text
    }

    /// Whether a plain scalar would be read as something else than this string (a number, a bool,
    /// null) or would not parse.
    static func needsQuotes(_ text: String) -> Bool {
        if text.isEmpty { return true }
        let lower = text.lowercased()
        if ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"].contains(lower) { return true }
        if text.wholeMatch(of: #/[-+]?(\d[\d_]*)?(\.[\d_]*)?([eE][-+]?\d+)?/#) != nil, text.contains(where: \.isNumber)
        {
            return true
        }
        if text.wholeMatch(of: #/0[xXoO][0-9a-fA-F_]+|[-+]?\.(inf|Inf|INF|nan|NaN|NAN)/#) != nil { return true }
        if let first = text.first, "&*!|>'\"%@`{}[],#?:-<= ".contains(first) { return true }
        return text.contains(": ") || text.contains(" #") || text.hasSuffix(":") || text.hasSuffix(" ")
    }

    static func unquote(_ value: String) -> String {
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
            return String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
                .replacingOccurrences(of: "\\\\", with: "\\")
        }
        if value.count >= 2, value.hasPrefix("'"), value.hasSuffix("'") {
            return String(value.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
        }
        return value
    }
}
