import Transport

package import struct Foundation.Date

/// Parsing and formatting of RFC 3339 timestamps without `DateFormatter` (which is slow and
/// locale-sensitive).
///
/// Parsing is lenient: any number of fractional digits (or none), `Z`/`z` or a numeric offset, `T`,
/// `t` or a space between date and time. Formatting always writes UTC with `Z`.
package enum RFC3339 {
    /// Parses a timestamp, or returns nil when the text is not RFC 3339.
    package static func parse(_ text: String) -> Date? {
        var utf8 = Array(text.utf8)[...]
        guard let year = number(&utf8, digits: 4), expect(&utf8, "-"),
            let month = number(&utf8, digits: 2), expect(&utf8, "-"),
            let day = number(&utf8, digits: 2), let separator = utf8.popFirst(),
            separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " "),
            let hour = number(&utf8, digits: 2), expect(&utf8, ":"),
            let minute = number(&utf8, digits: 2), expect(&utf8, ":"),
            let second = number(&utf8, digits: 2)
        else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 else {
            return nil
        }
        var fraction = 0.0
        if utf8.first == UInt8(ascii: ".") {
            utf8.removeFirst()
            var scale = 0.1
            var count = 0
            while let digit = utf8.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) {
                fraction += Double(digit - UInt8(ascii: "0")) * scale
                scale /= 10
                count += 1
                utf8.removeFirst()
            }
            guard count > 0 else { return nil }
        }
        var offsetSeconds = 0
        guard let zone = utf8.popFirst() else { return nil }
        switch zone {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            break
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let offsetHour = number(&utf8, digits: 2), expect(&utf8, ":"),
                let offsetMinute = number(&utf8, digits: 2)
            else { return nil }
            offsetSeconds = (offsetHour * 3600 + offsetMinute * 60) * (zone == UInt8(ascii: "+") ? 1 : -1)
        default:
            return nil
        }
        guard utf8.isEmpty else { return nil }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// Formats `date` in UTC with exactly `fractionDigits` fractional digits (0 → none, at most 6),
    /// truncating as the API server does (Go's formatting drops digits, it never rounds).
    package static func format(_ date: Date, fractionDigits: Int) -> String {
        let fractionDigits = min(max(fractionDigits, 0), 6)
        let scale = pow10(fractionDigits)
        // A Double holds a 2026 time only to a fraction of a microsecond, so the time is first read as
        // whole microseconds (nearest), then truncated to the digits written.
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let units = floorDiv(micros, pow10(6 - fractionDigits))
        var seconds = units / scale
        var fraction = units % scale
        if fraction < 0 {
            fraction += scale
            seconds -= 1
        }
        let days = Int(floorDiv(seconds, 86_400))
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let (year, month, day) = CivilCalendar.date(fromDays: days)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        text += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if fractionDigits > 0 { text += "." + pad(Int(fraction), fractionDigits) }
        return text + "Z"
    }

    private static func number(_ bytes: inout ArraySlice<UInt8>, digits: Int) -> Int? {
        guard bytes.count >= digits else { return nil }
        var value = 0
        for _ in 0..<digits {
            let byte = bytes.removeFirst()
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func expect(_ bytes: inout ArraySlice<UInt8>, _ character: Unicode.Scalar) -> Bool {
        guard bytes.first == UInt8(ascii: character) else { return false }
        bytes.removeFirst()
        return true
    }

    private static func pow10(_ exponent: Int) -> Int64 {
        (0..<exponent).reduce(Int64(1)) { value, _ in value * 10 }
    }

    private static func floorDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

}
