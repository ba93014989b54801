import Foundation

extension ClientConfiguration {
    /// Finds the configuration as kubectl and client-go do: an explicit kubeconfig context, else
    /// `KUBECONFIG` or `~/.kube/config` when present, else the in-cluster service account.
    ///
    /// - Throws: ``ConfigurationError`` naming the file, variable or field that is wrong.
    package static func load<C: Clock>(
        context: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
        homeDirectory: String = NSHomeDirectory(), clock: C
    ) throws(ConfigurationError) -> ClientConfiguration where C.Duration == Duration {
        let loader = KubeConfigLoader(environment: environment, homeDirectory: homeDirectory)
        let hasKubeconfig = loader.files.contains { FileManager.default.fileExists(atPath: $0) }
        if context != nil || hasKubeconfig || !InClusterConfig.isAvailable(environment: environment) {
            return try loader.load(context: context, clock: clock)
        }
        return try InClusterConfig.load(environment: environment, clock: clock)
    }
}
