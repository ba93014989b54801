import Foundation
import TestSupport
import Testing

/// The Promela model of the drain handshake and takeover, checked exhaustively with SPIN
/// (`Sources/Coordination/Model`, assumptions in `ASSUMPTIONS.md` there).
@Suite("SPIN model of the handoff")
struct SpinModelTests {
    static var modelDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/Coordination/Model")
    }

    /// Runs spin + gcc + pan in a fresh directory and returns pan's output.
    static func verify(defines: [String] = []) async throws -> String {
        let spin = try SystemTool.require("spin")
        let gcc = try SystemTool.require("gcc")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = directory.appendingPathComponent("handoff.pml")
        try FileManager.default.copyItem(at: modelDirectory.appendingPathComponent("handoff.pml"), to: model)
        let generate = try await run(spin, defines + ["-a", "handoff.pml"], in: directory)
        try #require(generate.status == 0, "spin -a failed: \(generate.output)")
        let compile = try await run(gcc, ["-O2", "-DSAFETY", "-w", "-o", "pan", "pan.c"], in: directory)
        try #require(compile.status == 0, "gcc failed: \(compile.output)")
        let check = try await run(
            directory.appendingPathComponent("pan").path, ["-m200000"], in: directory)
        return check.output
    }

    /// Runs a tool to completion without blocking a thread of the cooperative pool (gcc and pan take
    /// seconds; a blocked pool would stall every other test of the process meanwhile).
    static func run(_ tool: String, _ arguments: [String], in directory: URL) async throws
        -> (status: Int32, output: String)
    {
        let result = try await TestProcess.capture(tool, arguments: arguments, directory: directory.path)
        return (result.status, result.stdout + result.stderr)
    }

    @Test(
        "the handshake and takeover keep I1 and I2: exhaustive search, errors: 0",
        .requires(.executable("spin"), .executable("gcc")))
    func modelHolds() async throws {
        let output = try await Self.verify()
        #expect(output.contains("errors: 0"), "\(output)")
        #expect(!output.contains("assertion violated"))
    }

    @Test(
        "the check can fail: acknowledging a drain without cancelling the work violates I1",
        .requires(.executable("spin"), .executable("gcc")))
    func mutantIsCaught() async throws {
        let output = try await Self.verify(defines: ["-DMUTANT_ACK_WITHOUT_CANCEL"])
        #expect(output.contains("assertion violated"), "\(output)")
        #expect(!output.contains("errors: 0"))
    }
}
