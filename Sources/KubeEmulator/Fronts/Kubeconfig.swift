extension Emulator {
    /// A kubeconfig for a client of the HTTP front: one cluster (`server: baseURL`), one user with a
    /// bearer token (the admin token unless another is given), namespace `default`.
    package nonisolated func kubeconfig(baseURL: String, token: String? = nil) -> String {
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: kube-emulator
          cluster:
            server: \(baseURL)
        users:
        - name: kube-emulator-user
          user:
            token: \(token ?? adminToken)
        contexts:
        - name: kube-emulator
          context:
            cluster: kube-emulator
            user: kube-emulator-user
            namespace: default
        current-context: kube-emulator

        """
    }
}
