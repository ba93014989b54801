import Foundation
import LoopbackFixtures

/// The real kubectl, as the demo's admin: its own kubeconfig (the emulator's HTTP front, an admin token)
/// and its own HOME (so the user's `~/.kube` is never read or written).
struct DemoKubectl: Sendable {
    let executable: String
    let kubeconfig: String
    let home: String

    init(kubeconfig: String, home: String) throws {
        executable = try SystemTool.require("kubectl")
        self.kubeconfig = kubeconfig
        self.home = home
    }

    /// Runs `kubectl <arguments>`; returns what it printed.
    /// - Throws: ``DemoFailure`` with its output when it exits non-zero.
    @discardableResult
    func run(_ arguments: String...) async throws -> String {
        try await run(arguments)
    }

    @discardableResult
    func run(_ arguments: [String]) async throws -> String {
        let process = try TestProcess.start(
            executable, arguments: ["--kubeconfig", kubeconfig] + arguments, directory: home,
            environment: ["HOME": home, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
        guard await process.waitForExit(upTo: .seconds(120)) else {
            await process.stop()
            throw DemoFailure("kubectl \(arguments.joined(separator: " ")) did not finish within 120 s")
        }
        let output = process.output
        try? FileManager.default.removeItem(atPath: process.outputPath)
        guard process.termination?.status == 0 else {
            throw DemoFailure("kubectl \(arguments.joined(separator: " ")) failed: \(output)")
        }
        return output
    }
}
