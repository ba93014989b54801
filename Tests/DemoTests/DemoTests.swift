import Foundation
import TestSupport
import Testing

/// `make demo`'s scenario as a test: the `k8supdater-demo` this build produced (no second build), run
/// non-interactively against its own loopback cluster. It must exit 0 with every step observed, print
/// the live table and the summary, and leave no process and no file behind.
@Suite(
    "Demo: the scenario of make demo",
    .requires(.executable("kubectl"), .executable("docker-registry"), .executable("openssl"), .pythonModule("aiosmtpd"))
)
struct DemoTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The processes (other than ours) whose command line, working directory or environment mention `path`.
    static func processes(referring path: String) -> [String] {
        let own = ProcessInfo.processInfo.processIdentifier
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> String? in
            guard let pid = Int32(entry), pid != own else { return nil }
            let commandLine = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline").map {
                String(decoding: $0.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            }
            let directory = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/cwd")
            let environment = FileManager.default.contents(atPath: "/proc/\(entry)/environ").map {
                String(decoding: $0, as: UTF8.self)
            }
            let mentions = [commandLine, directory, environment].contains { $0?.contains(path) == true }
            return mentions ? "\(pid): \(commandLine ?? "?")" : nil
        }
    }

    @Test("k8supdater-demo plays every step, prints the table and the summary, exits 0 and cleans up")
    func scenario() async throws {
        let demo = try BuiltProduct.path("k8supdater-demo")
        // Everything the demo creates lives under this TMPDIR: afterwards no process may refer to it.
        let scratch = try TemporaryDirectory(prefix: "demo-test")
        defer { scratch.remove() }
        let temporary = scratch.path("tmp")
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = temporary
        let process = try TestProcess.start(
            demo, arguments: ["--repository", Self.repositoryRoot.path], directory: scratch.path,
            environment: environment)
        let exited = await process.waitForExit(upTo: .seconds(900))
        if !exited { await process.stop() }
        let output = process.output
        #expect(exited, "the demo did not finish:\n\(output.suffix(6000))")
        #expect(process.termination?.status == 0, "\(output.suffix(8000))")
        #expect(output.contains("NAMESPACE") && output.contains("SHARD"), "no live table:\n\(output.suffix(4000))")
        let summary = try #require(output.components(separatedBy: "\nSummary\n").last, "\(output.suffix(4000))")
        #expect(summary.contains("All 9 steps observed as expected"), "\(summary)")
        for step in [
            "three replicas start", "install the applications", "a patch release", "a major release",
            "latest rebuilt", "metrics", "kill -9", "scaled to 4", "a broken object",
        ] {
            #expect(summary.contains(step), "summary lacks \(step):\n\(summary)")
        }
        #expect(Self.processes(referring: temporary).isEmpty, "left running: \(Self.processes(referring: temporary))")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        #expect(left.isEmpty, "left in TMPDIR: \(left)")
    }
}
