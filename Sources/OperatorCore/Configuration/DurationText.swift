/// Durations written as Go and kubectl write them: `15s`, `500ms`, `1m30s`, `1.5h`.
///
/// Units: `ns`, `us` (or `µs`), `ms`, `s`, `m`, `h`. A bare number is refused (the unit is not guessed),
/// and so are signs: a setting that takes a duration takes a positive or zero one.
package enum DurationText {
    /// The duration `text` denotes, or nil when it is not of that form.
    package static func parse(_ text: String) -> Duration? {
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        var total = Duration.zero
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number.filter({ $0 == "." }).count <= 1, number != ".",
                let value = Double(number)
            else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            let nanoseconds: Double
            switch unit {
            case "ns": nanoseconds = 1
            case "us", "µs": nanoseconds = 1e3
            case "ms": nanoseconds = 1e6
            case "s": nanoseconds = 1e9
            case "m": nanoseconds = 60e9
            case "h": nanoseconds = 3_600e9
            default: return nil
            }
            let part = value * nanoseconds
            // About 292 years of nanoseconds fit in Int64; anything near that is a typo.
            guard part.isFinite, part < 9e18 else { return nil }
            total += .nanoseconds(Int64(part))
            guard total < .seconds(9_000_000_000) else { return nil }
        }
        return total
    }

    /// `15s`, `1m30s`, `250ms`: the shortest exact form of `duration` in the same notation.
    package static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 {
            if seconds == 0 { return "0s" }
            var text = ""
            var rest = seconds
            if rest >= 3_600 {
                text += "\(rest / 3_600)h"
                rest %= 3_600
            }
            if rest >= 60 {
                text += "\(rest / 60)m"
                rest %= 60
            }
            if rest > 0 { text += "\(rest)s" }
            return text
        }
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        if nanoseconds % 1_000_000 == 0 { return "\(nanoseconds / 1_000_000)ms" }
        return "\(nanoseconds)ns"
    }
}
