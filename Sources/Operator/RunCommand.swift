import ArgumentParser
import Foundation
import KubernetesClient
import Logging
import OperatorCore
import Prometheus
import ServiceLifecycle
import Transport
import UnixSignals

/// `k8supdater run`: the operator. Loads and validates the configuration (an invalid value prints its
/// one-line error on standard error and exits with status 2), bootstraps logging and metrics, then
/// runs the services until SIGTERM or SIGINT, which shut them down gracefully.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the operator: reconcile the VersioningHandlers of this replica's shard.")

    @OptionGroup var options: RunOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let configuration: OperatorConfiguration
        let clientConfiguration: ClientConfiguration
        do {
            configuration = try OperatorConfiguration.load(options: options, environment: environment)
            clientConfiguration = try configuration.cluster.clientConfiguration(
                environment: environment, homeDirectory: NSHomeDirectory(), clock: ContinuousClock())
        } catch {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            throw ExitCode(2)
        }
        OperatorLogging.bootstrap(
            format: configuration.logging.format, level: configuration.logging.level, secrets: configuration.secrets)
        let registry = PrometheusCollectorRegistry()
        OperatorMetrics.bootstrap(registry: registry)
        let logger = Logger(label: "k8supdater")
        let transport = try CurlTransport()
        let runtime = OperatorRuntime.build(
            configuration: configuration, clientConfiguration: clientConfiguration, transport: transport,
            registry: registry, logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: runtime.services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.notice(
            "starting", metadata: ["pod": "\(configuration.identity.podName)", "version": "\(BuildInfo.version)"])
        do {
            try await group.run()
        } catch {
            logger.error("stopped with an error", metadata: ["error": "\(error)"])
            await transport.shutdown()
            throw ExitCode(1)
        }
        await transport.shutdown()
        logger.notice("stopped")
    }
}
