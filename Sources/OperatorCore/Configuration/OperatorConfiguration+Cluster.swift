package import KubernetesClient

extension OperatorConfiguration.Cluster {
    /// The API server connection, found by KubernetesClient's own loading: the `--kubeconfig` files when
    /// named, else `KUBECONFIG` or `~/.kube/config` when present, else the pod's service account; its
    /// flow control is ``qps`` and ``burst``.
    ///
    /// - Throws: ``OperatorConfigurationError`` naming the flag or variable, then the file and field.
    package func clientConfiguration<C: Clock>(
        environment: [String: String], homeDirectory: String, clock: C
    ) throws(OperatorConfigurationError) -> ClientConfiguration where C.Duration == Duration {
        var environment = environment
        if let kubeconfig { environment["KUBECONFIG"] = kubeconfig }
        do {
            var configuration = try ClientConfiguration.load(
                environment: environment, homeDirectory: homeDirectory, clock: clock)
            configuration.flowControl.qps = qps
            configuration.flowControl.burst = burst
            return configuration
        } catch {
            let setting =
                kubeconfig != nil ? "--kubeconfig" : environment["KUBECONFIG"] != nil ? "KUBECONFIG" : "cluster"
            throw OperatorConfigurationError(setting, error.description)
        }
    }
}
