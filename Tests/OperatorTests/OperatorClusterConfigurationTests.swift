import ArgumentParser
import Foundation
import KubernetesClient
import OperatorCore
import TestSupport
import Testing

@Suite("OperatorConfiguration.Cluster: the client configuration through KubernetesClient's loading")
struct OperatorClusterConfigurationTests {
    static let pod = ["POD_NAME": "k8supdater-0", "POD_NAMESPACE": "k8supdater"]

    static let kubeconfig = """
        apiVersion: v1
        kind: Config
        current-context: test
        contexts:
        - name: test
          context: {cluster: test, user: test, namespace: apps}
        clusters:
        - name: test
          cluster: {server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true}
        users:
        - name: test
          user: {token: abc}
        """

    @Test("--kubeconfig wins over KUBECONFIG and the in-cluster service account")
    func flagWins() throws {
        let directory = try TemporaryDirectory(prefix: "operator-cluster")
        defer { directory.remove() }
        let path = try directory.write("config", Self.kubeconfig)
        let environment = Self.pod.merging([
            "KUBECONFIG": directory.path("missing"), "KUBERNETES_SERVICE_HOST": "10.0.0.1",
            "KUBERNETES_SERVICE_PORT": "443",
        ]) { $1 }
        let configuration = try OperatorConfiguration.load(
            options: try RunOptions.parse(["--kubeconfig", path]), environment: environment)
        let client = try configuration.cluster.clientConfiguration(
            environment: environment, homeDirectory: directory.path, clock: ContinuousClock())
        #expect(client.server == "https://127.0.0.1:6443")
        #expect(client.namespace == "apps")
        #expect(client.flowControl.qps == 20 && client.flowControl.burst == 40)
    }

    @Test("--kube-api-qps and --kube-api-burst set the workload client's flow control")
    func requestBudget() throws {
        let directory = try TemporaryDirectory(prefix: "operator-cluster")
        defer { directory.remove() }
        let path = try directory.write("config", Self.kubeconfig)
        let environment = Self.pod.merging(["KUBE_API_BURST": "250"]) { $1 }
        let configuration = try OperatorConfiguration.load(
            options: try RunOptions.parse(["--kubeconfig", path, "--kube-api-qps", "125.5"]), environment: environment)
        let client = try configuration.cluster.clientConfiguration(
            environment: environment, homeDirectory: directory.path, clock: ContinuousClock())
        #expect(client.flowControl.qps == 125.5)
        #expect(client.flowControl.burst == 250)
        #expect(client.flowControl.maxRetries == ClientConfiguration.FlowControl().maxRetries)
    }

    @Test("a kubeconfig that cannot be used is one line naming the flag, the file and the field")
    func badKubeconfig() throws {
        let directory = try TemporaryDirectory(prefix: "operator-cluster")
        defer { directory.remove() }
        let path = try directory.write(
            "config", Self.kubeconfig.replacingOccurrences(of: "current-context: test", with: "current-context: prod"))
        let configuration = try OperatorConfiguration.load(
            options: try RunOptions.parse(["--kubeconfig", path]), environment: Self.pod)
        let error = try #require(
            throws: OperatorConfigurationError.self,
            performing: {
                try configuration.cluster.clientConfiguration(
                    environment: Self.pod, homeDirectory: directory.path, clock: ContinuousClock())
            })
        #expect(error.description == "--kubeconfig: \(path): contexts: context \"prod\" does not exist")
    }

    @Test("neither a kubeconfig nor a pod: the error says what is missing")
    func nothingToConnectTo() throws {
        let directory = try TemporaryDirectory(prefix: "operator-cluster")
        defer { directory.remove() }
        let configuration = try OperatorConfiguration.load(options: try RunOptions.parse([]), environment: Self.pod)
        #expect(configuration.cluster.inCluster == false)
        let error = try #require(
            throws: OperatorConfigurationError.self,
            performing: {
                try configuration.cluster.clientConfiguration(
                    environment: Self.pod, homeDirectory: directory.path, clock: ContinuousClock())
            })
        #expect(error.setting == "cluster")
        #expect(!error.description.contains("\n"))
    }
}
