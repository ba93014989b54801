/// Escaping for the HTML subset Telegram (parse mode `HTML`) and Slack mrkdwn understand.
package enum HTMLText {
    /// `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`; everything else unchanged.
    ///
    /// `&` is replaced first, so an escaped text never gets double-escaped entities.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }
}
