public import Foundation

/// The e-mail for a notice: an RFC 5322 message: CRLF line endings (libcurl does not convert bare LF), UTF-8
/// body sent as 8bit, and an RFC 2047 encoded subject when it is not plain ASCII.
package struct NotificationMail: Sendable, Hashable {
    package var from: String
    package var to: [String]
    package var subject: String
    package var body: String
    package var date: Date
    /// Unique per message: `<fingerprint.unix-seconds@k8supdater>`.
    package var messageID: String

    package init(notice: Notice, from: String, to: [String]) {
        self.from = from
        self.to = to
        self.subject = notice.message.subject
        self.body = notice.message.plainBody
        self.date = notice.finding.observedAt
        self.messageID = "<\(notice.fingerprint).\(Int64(notice.finding.observedAt.timeIntervalSince1970))@k8supdater>"
    }

    /// The message bytes, ready for SMTP `DATA`.
    package var rendered: Data {
        let headers = [
            "From: k8supdater <\(from)>",
            "To: " + to.map { "<\($0)>" }.joined(separator: ", "),
            "Subject: " + Self.encodedHeader(Self.singleLine(subject)),
            "Date: " + Self.rfc5322Date(date),
            "Message-ID: " + messageID,
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "Auto-Submitted: auto-generated",
        ]
        let bodyLines = body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        return Data(
            (headers.joined(separator: "\r\n") + "\r\n\r\n" + bodyLines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// Header text with CR/LF removed, so a value cannot inject another header.
    private static func singleLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    /// ASCII as is; anything else as `=?UTF-8?B?…?=` words of at most 45 input bytes each.
    private static func encodedHeader(_ text: String) -> String {
        guard !text.allSatisfy({ $0.isASCII }) else { return text }
        var words: [String] = []
        var chunk = ""
        for character in text {
            if chunk.utf8.count + character.utf8.count > 45 {
                words.append("=?UTF-8?B?\(Data(chunk.utf8).base64EncodedString())?=")
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk.utf8).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// `Wed, 25 Nov 2026 16:00:00 +0000`.
    private static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String {
            let value = value ?? 0
            return value < 10 ? "0\(value)" : "\(value)"
        }
        let weekday = days[((parts.weekday ?? 1) - 1) % 7]
        let month = months[((parts.month ?? 1) - 1) % 12]
        return "\(weekday), \(parts.day ?? 1) \(month) \(parts.year ?? 1970) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
