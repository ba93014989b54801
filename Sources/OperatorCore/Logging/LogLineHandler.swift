import JSONModel
import KubernetesClient
package import Logging
package import Updater

package import struct Foundation.Date

/// A swift-log handler writing one line per record: a JSON object (`--log-format json`, for log
/// collectors) or readable text (`--log-format text`).
///
/// JSON lines carry `time` (RFC 3339, UTC, microseconds), `level`, `label`, `message`, then every
/// metadata key flattened to the top level (`a: [b: x]` becomes `"a.b": "x"`; a key that clashes with
/// those four is written `metadata.<key>`), and `error` when the record carries one.
///
/// Secrets are never written: every configured secret value is scrubbed from the message and the
/// metadata by a ``Redactor``, and the value of any metadata key that names a credential (`password`,
/// `token`, `secret`, `authorization`) is replaced by ``SecretValue/placeholder``.
package struct LogLineHandler: LogHandler {
    package var logLevel: Logger.Level
    package var metadata: Logger.Metadata = [:]
    package var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let format: LogFormat
    private let redactor: Redactor
    private let sink: LogSink
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - secrets: values to scrub from every line (``OperatorConfiguration/secrets``).
    ///   - sink: where lines go (standard output in production).
    ///   - now: the clock stamped on records; injectable for tests.
    package init(
        label: String, format: LogFormat, level: Logger.Level = .info, secrets: [SecretValue] = [],
        sink: LogSink = .standardOutput, metadataProvider: Logger.MetadataProvider? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.redactor = Redactor(secrets)
        self.sink = sink
        self.metadataProvider = metadataProvider
        self.now = now
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var fields: [(String, String)] = []
        for (key, value) in merged { flatten(key: key, value: value, into: &fields) }
        fields.sort { $0.0 < $1.0 }
        if let error = event.error { fields.append(("error", redactor.scrub("\(error)"))) }
        let time = RFC3339.format(now(), fractionDigits: 6)
        let message = redactor.scrub(event.message.description)
        switch format {
        case .json:
            var line = "{\"time\":\(jsonString(time)),\"level\":\(jsonString(event.level.rawValue))"
            line += ",\"label\":\(jsonString(label)),\"message\":\(jsonString(message))"
            let reserved: Set = ["time", "level", "label", "message"]
            for (key, value) in fields {
                let name = reserved.contains(key) ? "metadata.\(key)" : key
                line += ",\(jsonString(name)):\(jsonString(value))"
            }
            sink.write(line + "}\n")
        case .text:
            var line = "\(time) \(event.level.rawValue) \(label): \(message)"
            for (key, value) in fields {
                let shown =
                    value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) ? value.debugDescription : value
                line += " \(key)=\(shown)"
            }
            sink.write(line.split(whereSeparator: \.isNewline).joined(separator: "\\n") + "\n")
        }
    }

    private func flatten(key: String, value: Logger.Metadata.Value, into fields: inout [(String, String)]) {
        switch value {
        case .dictionary(let dictionary):
            for (inner, innerValue) in dictionary { flatten(key: "\(key).\(inner)", value: innerValue, into: &fields) }
        case .array(let values):
            let rendered = values.map { "\($0)" }.joined(separator: ", ")
            fields.append((key, scrubbed(key: key, "[\(rendered)]")))
        case .string(let text):
            fields.append((key, scrubbed(key: key, text)))
        case .stringConvertible(let value):
            fields.append((key, scrubbed(key: key, value.description)))
        }
    }

    /// A JSON string literal, by the package's one JSON writer.
    private func jsonString(_ text: String) -> String { JSON.string(text).text }

    private func scrubbed(key: String, _ value: String) -> String {
        let lower = key.lowercased()
        if ["password", "token", "secret", "authorization"].contains(where: { lower.contains($0) }) {
            return SecretValue.placeholder
        }
        return redactor.scrub(value)
    }
}
