import ArgumentParser
import Foundation
import KubernetesClient
import LocalCluster
import Logging
import LoopbackFixtures
import ServiceLifecycle
import Transport
import UnixSignals

/// `k8supdater-local`: runs the operator's StatefulSet Pods of a `kube-emulator` as local
/// `k8supdater run` processes (a kubelet for one host), until SIGINT or SIGTERM:
///
///     kube-emulator --port 6443 --kubeconfig-out /tmp/emulator.kubeconfig &
///     kubectl --kubeconfig /tmp/emulator.kubeconfig apply -k yamls/
///     k8supdater-local --kubeconfig /tmp/emulator.kubeconfig
///     kubectl --kubeconfig /tmp/emulator.kubeconfig scale statefulset -n k8supdater k8supdater --replicas 5
@main
struct LocalClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "k8supdater-local",
        abstract: "Run the Pods of the operator's StatefulSet in kube-emulator as local k8supdater processes.",
        discussion:
            "Each Pod gets a ServiceAccount token (TokenRequest), its environment and arguments, and its own "
            + "loopback port for /healthz, /readyz and /metrics (printed when it starts). Arguments after -- are "
            + "appended to every process (e.g. -- --lease-duration 3s --renew-deadline 2s --retry-period 500ms).")

    @Option(help: "Kubeconfig with the runner's (admin) credentials, e.g. from kube-emulator --kubeconfig-out.")
    var kubeconfig: String

    @Option(help: "The StatefulSet's namespace.")
    var namespace = "k8supdater"

    @Option(help: "The StatefulSet whose Pods run here.")
    var statefulset = "k8supdater"

    @Option(help: "The k8supdater executable (default: the one built next to this program).")
    var binary: String?

    @Option(help: "Directory for each Pod's token, kubeconfig and logs (default: a new temporary directory).")
    var directory: String?

    @Option(help: "Seconds before the first restart of a crashed process (CrashLoopBackOff; doubles up to 5 min).")
    var restartBackoffSeconds = 10.0

    @Argument(parsing: .postTerminator, help: "Extra arguments for every k8supdater process.")
    var extraArguments: [String] = []

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "k8supdater-local")
        let clientConfiguration = try ClientConfiguration.load(
            environment: ["KUBECONFIG": kubeconfig], clock: ContinuousClock())
        let executable = try binary ?? BuiltProduct.path("k8supdater")
        let temporary = directory == nil ? try TemporaryDirectory(prefix: "k8supdater-local") : nil
        let workDirectory = directory ?? temporary?.path ?? "."
        let transport = try CurlTransport()
        let client = KubernetesClient(configuration: clientConfiguration, transport: transport)
        let runner = LocalStatefulSetRunner(
            settings: LocalClusterSettings(
                namespace: namespace, statefulSet: statefulset, executable: executable,
                server: clientConfiguration.server, directory: workDirectory, extraArguments: extraArguments,
                restartBackoff: CrashLoopBackOff(initial: .milliseconds(Int64(restartBackoffSeconds * 1000)))),
            client: client, probeTransport: transport, logger: logger)
        print(
            "running the Pods of statefulset \(namespace)/\(statefulset) from \(executable); files in \(workDirectory)")
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: runner)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await transport.shutdown()
        temporary?.remove()
    }
}
