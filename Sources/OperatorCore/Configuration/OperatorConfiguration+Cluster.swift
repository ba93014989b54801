package import KubernetesClient

extension OperatorConfiguration.Cluster {
    /// The API server connection, found by KubernetesClient's own loading: the `--kubeconfig` files when
    /// named, else `KUBECONFIG` or `~/.kube/config` when present, else the pod's service account.
    ///
    /// - Throws: ``OperatorConfigurationError`` naming the flag or variable, then the file and field.
    package func clientConfiguration<C: Clock>(
        environment: [String: String], homeDirectory: String, clock: C
    ) throws(OperatorConfigurationError) -> ClientConfiguration where C.Duration == Duration {
        var environment = environment
        if let kubeconfig { environment["KUBECONFIG"] = kubeconfig }
        do {
            return try ClientConfiguration.load(environment: environment, homeDirectory: homeDirectory, clock: clock)
        } catch {
            let setting =
                kubeconfig != nil ? "--kubeconfig" : environment["KUBECONFIG"] != nil ? "KUBECONFIG" : "cluster"
            throw OperatorConfigurationError(setting, error.description)
        }
    }
}
