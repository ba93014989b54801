import ArgumentParser
import Foundation
import LocalCluster
import Logging
import UnixSignals

/// `k8supdater-demo` (`make demo`): the whole product on loopback — kube-emulator, docker-registry,
/// aiosmtpd and three `k8supdater run` replicas — and a scenario played against it, with a live
/// `kubectl get vh -A`-like table and a closing summary. Exits 0 when every expected outcome was
/// observed; stops every process it started (also on Ctrl-C).
@main
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "k8supdater-demo",
        abstract: "Play k8supdater's demo scenario against a local cluster (emulator, registry, SMTP, 3 replicas).",
        discussion:
            "Needs kubectl, docker-registry, openssl and python3-aiosmtpd (Scripts/install-deps.sh installs them) "
            + "and the k8supdater executable built next to this program (make demo builds both).")

    @Flag(help: "After the scenario, keep everything running and print a kubectl command to look around; Ctrl-C stops.")
    var keepRunning = false

    @Option(help: "The repository's root, whose yamls/ are applied (default: found from here or from this program).")
    var repository: String?

    @Option(help: "Seconds a step may take before it counts as not observed (a failure guard).")
    var stepLimit = 120

    @Flag(help: "Serve the images from the project's registry fixture, even where docker-registry is installed.")
    var registryFixture = false

    /// Scaled-down lease timings (defaults 15s/10s/2s/15s/30s) that still hold on a loaded 2-core machine.
    static let leaseArguments = [
        "--lease-duration", "6s", "--renew-deadline", "4s", "--retry-period", "1s", "--lease-grace", "3s",
        "--drain-timeout", "3s",
    ]

    func validate() throws {
        guard stepLimit >= 10 else { throw ValidationError("--step-limit must be at least 10 seconds") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            // The emulator's HTTP server reports the connections a Ctrl-C cancels as errors: noise here.
            if label.hasPrefix("kube-emulator") { return SwiftLogNoOpLogHandler() }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .error
            return handler
        }
        let root = try Self.repositoryRoot(repository)
        let keepRunning = self.keepRunning
        let registryFixture = self.registryFixture
        let limit = Duration.seconds(stepLimit)
        let work = Task {
            try await Self.play(
                root: root, stepLimit: limit, keepRunning: keepRunning, registryFixture: registryFixture)
        }
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let interrupt = Task {
            for await signal in signals {
                DemoOutput.say("\n\(signal): stopping everything the demo started")
                work.cancel()
                break
            }
        }
        let result = await work.result
        interrupt.cancel()
        switch result {
        case .success(true): return
        case .success(false): throw ExitCode(1)
        case .failure(let error):
            if !(error is CancellationError) { DemoOutput.say("demo failed: \(error)") }
            throw ExitCode(1)
        }
    }

    /// Brings the cluster up, plays the scenario, prints the summary; true when every step passed.
    static func play(root: URL, stepLimit: Duration, keepRunning: Bool, registryFixture: Bool) async throws -> Bool {
        let clock = ContinuousClock()
        let start = clock.now
        DemoOutput.say("k8supdater demo — everything on 127.0.0.1")
        return try await DemoCluster.with(
            repositoryRoot: root, leaseArguments: leaseArguments, registryFixture: registryFixture
        ) {
            (cluster: DemoCluster) async throws -> Bool in
            let watcher = DemoTableWatcher(cluster: cluster)
            let table = Task { await watcher.run() }
            var scenario = DemoScenario(cluster: cluster, stepLimit: stepLimit, table: watcher)
            var interrupted: (any Error)?
            do {
                try await scenario.play()
            } catch {
                interrupted = error
            }
            table.cancel()
            await table.value
            if let handlers = try? await cluster.handlers() {
                DemoOutput.say("\n" + DemoTable.render(handlers, now: Date()))
            }
            DemoOutput.say(scenario.steps.summary(total: clock.now - start))
            if let interrupted { throw interrupted }
            if keepRunning {
                let endpoints = await cluster.runner.pods().map {
                    "  \($0.name): http://127.0.0.1:\($0.httpPort)/metrics"
                }
                let kubeconfig = cluster.kubectl.kubeconfig
                DemoOutput.say(
                    """

                    Everything keeps running; look around with the real kubectl (Ctrl-C stops it all):
                      KUBECONFIG=\(kubeconfig) kubectl get vh -A
                      KUBECONFIG=\(kubeconfig) kubectl describe vh -n payments ghost
                    The replicas' /metrics:
                    \(endpoints.joined(separator: "\n"))
                    """)
                while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            }
            return scenario.steps.allPassed
        }
    }

    /// `--repository`, else the first of the current directory and the ancestors of this program's
    /// directory that holds `yamls/kustomization.yaml` and `Package.swift`.
    static func repositoryRoot(_ option: String?) throws -> URL {
        func isRoot(_ url: URL) -> Bool {
            FileManager.default.fileExists(atPath: url.appendingPathComponent("yamls/kustomization.yaml").path)
                && FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path)
        }
        if let option {
            let url = URL(fileURLWithPath: option).standardizedFileURL
            guard isRoot(url) else { throw ValidationError("\(option) is not the k8supdater repository (no yamls/)") }
            return url
        }
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        if let program = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var directory = URL(fileURLWithPath: program).deletingLastPathComponent()
            while directory.path != "/" {
                candidates.append(directory)
                directory = directory.deletingLastPathComponent()
            }
        }
        guard let root = candidates.first(where: isRoot) else {
            throw ValidationError("cannot find the repository's yamls/: run from the repository or pass --repository")
        }
        return root
    }
}
