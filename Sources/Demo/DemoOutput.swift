import Foundation
import Synchronization

/// The demo's standard output: whole lines, written unbuffered and one writer at a time, so that the
/// live table and the scenario's lines never interleave mid-line (and a pipe sees them at once).
enum DemoOutput {
    private static let lock = Mutex(())

    /// Writes `text` and a newline.
    static func say(_ text: String = "") {
        lock.withLock { _ in FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
    }

    /// Seconds with one decimal: `12.3 s`.
    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.1f s", Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// An age as kubectl prints it: `42s`, `3m12s`, `15m`, `2h5m`.
    static func age(_ interval: TimeInterval) -> String {
        let total = max(0, Int(interval))
        if total < 120 { return "\(total)s" }
        if total < 600 { return "\(total / 60)m\(total % 60)s" }
        if total < 3 * 3600 { return "\(total / 60)m" }
        return "\(total / 3600)h\((total % 3600) / 60)m"
    }
}

/// Why the demo could not go on (bring-up failed, a command failed): printed as one line.
struct DemoFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
