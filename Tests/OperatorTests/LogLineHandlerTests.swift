import Foundation
import Logging
import OperatorCore
import Synchronization
import Testing
import Updater

@Suite("LogLineHandler: JSON and text log lines")
struct LogLineHandlerTests {
    final class Lines: Sendable {
        let storage = Mutex<[String]>([])
        var all: [String] { storage.withLock { $0 } }
        var sink: LogSink { LogSink { line in self.storage.withLock { $0.append(line) } } }
    }

    /// 2026-12-04T17:40:12.123456Z
    static let instant = Date(timeIntervalSince1970: 1_796_406_012.123456)

    static func logger(_ format: LogFormat, _ lines: Lines, secrets: [SecretValue] = []) -> Logger {
        Logger(label: "k8supdater.test") { label in
            LogLineHandler(label: label, format: format, level: .debug, secrets: secrets, sink: lines.sink) { instant }
        }
    }

    @Test("one JSON object per line: time, level, label, message, flattened metadata")
    func jsonLine() throws {
        let lines = Lines()
        var logger = Self.logger(.json, lines)
        logger[metadataKey: "shard"] = "k8supdater-0"
        logger.info(
            "checked \"web\"\nnext line",
            metadata: [
                "object": ["namespace": "apps", "name": "web"], "containers": ["app", "sidecar"], "count": "3",
                "message": "clash",
            ])
        logger.trace("below the level")
        let all = lines.all
        try #require(all.count == 1)
        let line = try #require(all.first)
        #expect(line.hasSuffix("}\n"))
        #expect(line.dropLast().contains("\n") == false)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(
            object == [
                "time": "2026-12-04T17:40:12.123456Z", "level": "info", "label": "k8supdater.test",
                "message": "checked \"web\"\nnext line", "shard": "k8supdater-0", "object.namespace": "apps",
                "object.name": "web", "containers": "[app, sidecar]", "count": "3", "metadata.message": "clash",
            ])
        #expect(line.hasPrefix(#"{"time":"2026-12-04T17:40:12.123456Z","level":"info","label":"k8supdater.test""#))
    }

    @Test("secrets are never written: configured values are scrubbed, credential-named keys redacted")
    func secretsScrubbed() throws {
        let lines = Lines()
        let logger = Self.logger(.json, lines, secrets: [SecretValue("s3cr3t-token-value")])
        logger.error(
            "request to https://api.example.com/bots3cr3t-token-value/send failed",
            metadata: ["url": "https://x/s3cr3t-token-value", "password": "hunter2", "auth.token": "abc"])
        let text = lines.all.joined()
        #expect(!text.contains("s3cr3t-token-value"))
        #expect(!text.contains("hunter2"))
        #expect(!text.contains("\"abc\""))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
        #expect(object["password"] == SecretValue.placeholder)
        #expect(object["auth.token"] == SecretValue.placeholder)
        #expect(object["url"] == "https://x/\(SecretValue.placeholder)")
    }

    @Test("control characters are escaped so a line stays one line")
    func controlCharacters() throws {
        let lines = Lines()
        let logger = Self.logger(.json, lines)
        logger.warning("bell \u{07} tab \t cr \r", metadata: ["k": "\u{1b}[31m"])
        let line = try #require(lines.all.first)
        #expect(line.filter { $0.isNewline }.count == 1)
        #expect(line.contains(#"\u0007"#) && line.contains(#"\u001b"#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["message"] == "bell \u{07} tab \t cr \r")
    }

    @Test("text lines: time, level, label, message, key=value")
    func textLine() throws {
        let lines = Lines()
        let logger = Self.logger(.text, lines, secrets: [SecretValue("pw123456")])
        logger.notice("updated\nweb", metadata: ["image": "nginx:1.25.4", "reason": "new patch", "smtp": "pw123456"])
        #expect(
            lines.all == [
                "2026-12-04T17:40:12.123456Z notice k8supdater.test: updated\\nweb image=nginx:1.25.4 "
                    + "reason=\"new patch\" smtp=<redacted>\n"
            ])
    }
}
