import Foundation

/// What every benchmark prints with its table, so a row in BENCHMARKS.md names the command that made
/// it and the conditions it ran under: the exact command line, the time, the cores, the load average
/// (at the start and at the end) and the versions of the tools it drove, read at run time.
enum BenchEnvironment {
    /// Prints the header: command, date, cores, load, tool versions (`tool --version`, first line).
    static func printHeader(tools: [String] = []) {
        let command = (["k8supdater-bench"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        print("command: \(command)")
        print(
            "date: \(ISO8601DateFormatter().string(from: Date())), cores: \(ProcessInfo.processInfo.activeProcessorCount)"
        )
        print("load average (1, 5, 15 min) at start: \(loadAverage())")
        for tool in tools { print("tool: \(version(of: tool))") }
    }

    /// Prints the load at the end of the run.
    static func printFooter() {
        print("load average (1, 5, 15 min) at end: \(loadAverage())")
    }

    /// The first three fields of /proc/loadavg, or "unknown".
    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// `tool --version`'s first line, or why it could not be read.
    static func version(of tool: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool, "--version"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do { try process.run() } catch { return "\(tool): cannot run (\(error))" }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        return line.isEmpty ? "\(tool): no version printed" : line
    }
}
