import ArgumentParser
import Foundation
import KubeEmulator
import Logging
import ServiceLifecycle
import Transport
import UnixSignals

/// `kube-emulator`: serves the strict Kubernetes API emulator on 127.0.0.1 until SIGINT/SIGTERM,
/// for the demo, benchmarks and exploring with the real kubectl.
@main
struct KubeEmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube-emulator",
        abstract: "Serve the in-memory Kubernetes API emulator on 127.0.0.1 (for the demo and kubectl).")

    @Option(help: "TCP port on 127.0.0.1 (0 picks a free one, printed on start).")
    var port: Int = 0

    @Option(name: .customLong("kubeconfig-out"), help: "Write a kubeconfig (admin bearer token) to this file.")
    var kubeconfigOut: String?

    @Option(name: .customLong("admin-token"), help: "Use this admin token instead of a random one.")
    var adminToken: String?

    @Option(
        name: .customLong("insecure-registry"),
        help: "A registry host:port the simulated kubelet pulls from over plain HTTP; repeatable.")
    var insecureRegistries: [String] = []

    @Option(
        name: .customLong("crash-loop-image"),
        help:
            "An image pattern (* and ? wildcards over the whole reference, e.g. '*/team/web:1.2.5' or '*:*-broken') whose containers crash-loop and never become ready; repeatable."
    )
    var crashLoopImages: [String] = []

    @Flag(
        name: .customLong("instant-pods"),
        help: "Start Pods Running at once with placeholder image digests instead of pulling from registries.")
    var instantPods = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        for pattern in crashLoopImages where pattern.isEmpty || pattern.contains(where: \.isWhitespace) {
            throw ValidationError("--crash-loop-image expects an image pattern without spaces (got \"\(pattern)\")")
        }
        for registry in insecureRegistries {
            let parts = registry.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, let port = Int(parts[1]), (1...65535).contains(port) else {
                throw ValidationError(
                    "--insecure-registry expects host:port, e.g. 127.0.0.1:5000 (got \"\(registry)\")")
            }
        }
    }

    /// Prints a line unbuffered, so a script reading our output sees it at once.
    private static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    func run() async throws {
        var settings = Emulator.Configuration()
        if let adminToken { settings.adminToken = adminToken }
        settings.crashLoopImages = crashLoopImages
        let pullTransport = try CurlTransport()
        if !instantPods {
            settings.kubelet = .pulling(
                ImagePullSettings(transport: pullTransport, insecureRegistries: Set(insecureRegistries)))
        }
        let emulator = Emulator(configuration: settings)
        let kubeconfigOut = self.kubeconfigOut
        let server = EmulatorHTTPServer(emulator: emulator, port: port) { bound in
            let baseURL = "http://127.0.0.1:\(bound)"
            if let kubeconfigOut {
                do {
                    try emulator.kubeconfig(baseURL: baseURL).write(
                        toFile: kubeconfigOut, atomically: true, encoding: .utf8)
                    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: kubeconfigOut)
                    Self.say("kubeconfig written to \(kubeconfigOut)")
                } catch {
                    Self.say("cannot write kubeconfig to \(kubeconfigOut): \(error)")
                }
            }
            Self.say("kube emulator serving on \(baseURL)")
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [server], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: Logger(label: "kube-emulator")))
        do {
            try await group.run()
        } catch {
            await pullTransport.shutdown()
            throw error
        }
        await pullTransport.shutdown()
    }
}
