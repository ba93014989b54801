package import Logging
import Synchronization

/// Records every log record written through its loggers, for tests that check what was logged (and
/// what was not: secrets).
package final class CapturedLogs: Sendable {
    /// One record: level, message and metadata rendered as text.
    package struct Record: Sendable, Hashable {
        package var level: Logger.Level
        package var message: String
        package var metadata: [String: String]

        /// Message and metadata in one line, for searching.
        package var text: String {
            ([message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
    }

    private let storage = Mutex<[Record]>([])

    package init() {}

    /// Everything recorded so far, in order.
    package var records: [Record] { storage.withLock { $0 } }

    /// A logger at `level` that records into this capture.
    package func logger(label: String = "test", level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { _ in Handler(capture: self) }
        logger.logLevel = level
        return logger
    }

    fileprivate func append(_ record: Record) { storage.withLock { $0.append(record) } }

    private struct Handler: LogHandler {
        let capture: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var merged = metadata
            if let extra = event.metadata { merged.merge(extra) { $1 } }
            if let error = event.error { merged["error"] = "\(error)" }
            capture.append(
                Record(
                    level: event.level, message: "\(event.message)",
                    metadata: merged.mapValues { "\($0)" }))
        }
    }
}
