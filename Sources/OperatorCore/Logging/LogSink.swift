import Synchronization

import struct Foundation.Data
import class Foundation.FileHandle

/// Where ``LogLineHandler`` writes its lines: each line in one write, never interleaved with another.
package struct LogSink: Sendable {
    private let writeLine: @Sendable (String) -> Void

    /// A sink calling `write` with each complete line (ending in a newline).
    package init(_ write: @escaping @Sendable (String) -> Void) { self.writeLine = write }

    package func write(_ line: String) { writeLine(line) }

    /// The process's standard output.
    package static let standardOutput: LogSink = {
        let lock = Mutex(())
        return LogSink { line in
            lock.withLock { _ in FileHandle.standardOutput.write(Data(line.utf8)) }
        }
    }()
}
