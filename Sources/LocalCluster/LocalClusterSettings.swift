/// How the local runner runs the Pods of one StatefulSet.
package struct LocalClusterSettings: Sendable {
    /// The StatefulSet's namespace and name.
    package var namespace: String
    package var statefulSet: String
    /// The executable every container runs (`BuiltProduct.path("k8supdater")`).
    package var executable: String
    /// The API server as the processes reach it (the emulator's HTTP front, `http://127.0.0.1:PORT`).
    package var server: String
    /// Where each Pod gets a directory (token, kubeconfig, logs).
    package var directory: String
    /// Appended to every container's arguments (scaled-down lease timings, say).
    package var extraArguments: [String]
    /// Added to every container's environment (after the Pod's own).
    package var extraEnvironment: [String: String]
    /// CrashLoopBackOff: the first restart waits `initial`, each next one twice as long up to `maximum`;
    /// a container that ran `reset` or longer starts over (the kubelet: 10 s, 5 min, 10 min).
    package var restartBackoff: CrashLoopBackOff
    /// Overrides the readiness probe's `periodSeconds` (tests poll faster).
    package var probePeriod: Duration?
    /// Overrides the Pods' `terminationGracePeriodSeconds` (nil: the Pod's own, default 30 s).
    package var terminationGracePeriod: Duration?
    /// The TokenRequest lifetime (renewed at 80 %).
    package var tokenExpirationSeconds: Int

    package init(
        namespace: String = "k8supdater", statefulSet: String = "k8supdater", executable: String, server: String,
        directory: String, extraArguments: [String] = [], extraEnvironment: [String: String] = [:],
        restartBackoff: CrashLoopBackOff = CrashLoopBackOff(), probePeriod: Duration? = nil,
        terminationGracePeriod: Duration? = nil, tokenExpirationSeconds: Int = 3600
    ) {
        self.namespace = namespace
        self.statefulSet = statefulSet
        self.executable = executable
        self.server = server
        self.directory = directory
        self.extraArguments = extraArguments
        self.extraEnvironment = extraEnvironment
        self.restartBackoff = restartBackoff
        self.probePeriod = probePeriod
        self.terminationGracePeriod = terminationGracePeriod
        self.tokenExpirationSeconds = tokenExpirationSeconds
    }
}
