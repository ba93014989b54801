import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a local process has used so far, read from Linux's `/proc/<pid>/stat` (user + system CPU
/// time, fields 14 and 15, in clock ticks) and `/proc/<pid>/status` (`VmHWM`, the peak resident set,
/// and `VmRSS`): the figures `ps` and `top` show, read from the kernel rather than estimated.
package struct ProcessUsage: Sendable, Hashable {
    /// User + system CPU time.
    package var cpuSeconds: Double
    /// Peak resident set size (`VmHWM`), in bytes.
    package var peakResidentBytes: Int
    /// Current resident set size (`VmRSS`), in bytes.
    package var residentBytes: Int
    /// The anonymous (private: heap, stacks) part of ``residentBytes`` (`RssAnon`), in bytes; nil on
    /// kernels before 4.5.
    package var anonymousBytes: Int?
    /// The file-backed part of ``residentBytes`` (`RssFile`: the executable's and shared libraries'
    /// pages, shared with every process that maps them), in bytes; nil on kernels before 4.5.
    package var fileBytes: Int?

    package init(
        cpuSeconds: Double, peakResidentBytes: Int, residentBytes: Int, anonymousBytes: Int? = nil,
        fileBytes: Int? = nil
    ) {
        self.cpuSeconds = cpuSeconds
        self.peakResidentBytes = peakResidentBytes
        self.residentBytes = residentBytes
        self.anonymousBytes = anonymousBytes
        self.fileBytes = fileBytes
    }

    /// Why the usage of a process could not be read.
    package enum ReadError: Error, Sendable, Hashable, CustomStringConvertible {
        /// `/proc/<pid>/…` could not be read: the process has exited (or this is not Linux).
        case unreadable(path: String)
        /// The file did not have the expected shape.
        case malformed(path: String, reason: String)

        package var description: String {
            switch self {
            case .unreadable(let path): "cannot read \(path) (has the process exited?)"
            case .malformed(let path, let reason): "\(path) is malformed: \(reason)"
            }
        }
    }

    /// Reads the usage of process `pid` now.
    package static func read(pid: Int32) throws(ReadError) -> ProcessUsage {
        let statPath = "/proc/\(pid)/stat"
        let statusPath = "/proc/\(pid)/status"
        guard let stat = try? String(contentsOfFile: statPath, encoding: .utf8) else {
            throw .unreadable(path: statPath)
        }
        guard let status = try? String(contentsOfFile: statusPath, encoding: .utf8) else {
            throw .unreadable(path: statusPath)
        }
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        let cpu = try cpuSeconds(stat: stat, ticksPerSecond: ticks > 0 ? Int(ticks) : 100, path: statPath)
        let memory = try memory(status: status, path: statusPath)
        return ProcessUsage(
            cpuSeconds: cpu, peakResidentBytes: memory.peak, residentBytes: memory.resident,
            anonymousBytes: memory.anonymous, fileBytes: memory.file)
    }

    /// utime + stime of a `/proc/<pid>/stat` line, in seconds. The command name (field 2) is in
    /// parentheses and may itself contain spaces and parentheses, so fields are counted after the last `)`.
    package static func cpuSeconds(stat: String, ticksPerSecond: Int, path: String = "stat") throws(ReadError)
        -> Double
    {
        guard let close = stat.lastIndex(of: ")") else {
            throw .malformed(path: path, reason: "no ')' closing the command name")
        }
        // After ")": field 3 (state) is the first; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 13, let user = Int(fields[11]), let system = Int(fields[12]) else {
            throw .malformed(path: path, reason: "fields 14 and 15 (utime, stime) are not numbers")
        }
        return Double(user + system) / Double(ticksPerSecond)
    }

    /// `VmHWM`, `VmRSS`, `RssAnon` and `RssFile` (the last two optional) of a `/proc/<pid>/status`
    /// text, in bytes.
    package static func memory(status: String, path: String = "status") throws(ReadError) -> (
        peak: Int, resident: Int, anonymous: Int?, file: Int?
    ) {
        var peak: Int?
        var resident: Int?
        var anonymous: Int?
        var file: Int?
        for line in status.split(separator: "\n") {
            if line.hasPrefix("VmHWM:") { peak = kilobytes(line) }
            if line.hasPrefix("VmRSS:") { resident = kilobytes(line) }
            if line.hasPrefix("RssAnon:") { anonymous = kilobytes(line) }
            if line.hasPrefix("RssFile:") { file = kilobytes(line) }
        }
        guard let peak, let resident else { throw .malformed(path: path, reason: "no VmHWM or VmRSS line") }
        return (peak * 1024, resident * 1024, anonymous.map { $0 * 1024 }, file.map { $0 * 1024 })
    }

    /// `VmHWM:     12345 kB` → 12345.
    private static func kilobytes(_ line: Substring) -> Int? {
        let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count >= 3, parts[2] == "kB" else { return nil }
        return Int(parts[1])
    }
}
