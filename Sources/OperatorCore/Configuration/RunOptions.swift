package import ArgumentParser

/// The flags of `k8supdater run`, embedded there with `@OptionGroup`. Every flag has an environment
/// variable of the same meaning (the flag wins); values are taken as text here and validated by
/// ``OperatorConfiguration/load(options:environment:)``, so that a bad value gives the same one-line
/// error whether it came from a flag or from the environment. Numeric and duration flags take the next
/// argument as their value even when it starts with `-`: `--versions-frontier -1` is refused by the
/// validation, not misread as an unknown flag.
///
/// Secrets (`GITLAB_TOKEN`, `EMAIL_PASSWORD`, `TELEGRAM_TOKEN`, `WEBHOOK_URL`, `WEBHOOK_SECRET`) have no
/// flag: a command line is visible to every user of the node (`ps`), the environment is not.
package struct RunOptions: ParsableArguments, Sendable {
    // MARK: The original's settings

    @Option(
        name: .customLong("refresh-frequency-in-seconds"), parsing: .unconditional,
        help: "Seconds between checks of one object, 10 or more (env REFRESH_FREQUENCY_IN_SECONDS; default 3600).")
    package var refreshFrequencyInSeconds: String?

    @Option(
        parsing: .unconditional,
        help:
            "Leading version components that are only notified, 0 or more; 0 = always update (env VERSIONS_FRONTIER; default 1)."
    )
    package var versionsFrontier: String?

    @Option(
        help:
            "For latest-style tags: true restarts on a new digest, false notifies (env LATEST_PREFERENCE; default false)."
    )
    package var latestPreference: String?

    @Option(
        name: .customLong("min-release-age"), parsing: .unconditional,
        help:
            "Apply a new tag only once the registry says it is this old, e.g. 72h (env MIN_RELEASE_AGE; default off; spec.minReleaseAge overrides)."
    )
    package var minReleaseAge: String?

    @Option(
        name: .customLong("maintenance-windows"),
        help:
            "Apply updates only inside these windows, e.g. 'Mon-Fri 02:00-05:00 Europe/Berlin; Sat,Sun 00:00-24:00' (env MAINTENANCE_WINDOWS; default always; spec.maintenanceWindows overrides)."
    )
    package var maintenanceWindows: String?

    @Option(
        name: .customLong("gitlab-base-url"),
        help:
            "GitLab instance, e.g. https://gitlab.example.com (env GITLAB_BASE_URL; the token only from env GITLAB_TOKEN)."
    )
    package var gitLabBaseURL: String?

    @Option(name: .customLong("gitlab-project-id"), help: "GitLab project id or path (env GITLAB_PROJECT_ID).")
    package var gitLabProjectID: String?

    @Option(help: "SMTP host (env EMAIL_HOST; the password only from env EMAIL_PASSWORD).")
    package var emailHost: String?

    @Option(help: "SMTP port 1-65535 (env EMAIL_PORT).")
    package var emailPort: String?

    @Option(help: "Sender address (env EMAIL_SENDER).")
    package var emailSender: String?

    @Option(help: "Recipient addresses, comma-separated (env EMAIL_RECIPIENT).")
    package var emailRecipient: String?

    @Option(help: "Telegram chat id or @channel (env TELEGRAM_CHAT_ID; the token only from env TELEGRAM_TOKEN).")
    package var telegramChatID: String?

    // MARK: Cluster and identity

    @Option(help: "Kubeconfig file(s), ':'-separated (env KUBECONFIG; default ~/.kube/config, else in-cluster).")
    package var kubeconfig: String?

    @Option(
        name: .customLong("kube-api-qps"), parsing: .unconditional,
        help:
            "Sustained API requests per second of this replica's workload client (Leases have their own), over 0 (env KUBE_API_QPS; default 20). With --workload-cache false every check reads the API 3 times: raise it for thousands of objects per replica."
    )
    package var kubeAPIQPS: String?

    @Option(
        name: .customLong("workload-cache"), parsing: .unconditional,
        help:
            "true: checks read Deployments, ReplicaSets and Pods from watch caches (one list and watch per kind); false: from the API on every check, for clusters with so many Pods that caching them costs more (env WORKLOAD_CACHE; default true)."
    )
    package var workloadCache: String?

    @Option(
        name: .customLong("kube-api-burst"), parsing: .unconditional,
        help: "API requests allowed at once before --kube-api-qps applies, 1 or more (env KUBE_API_BURST; default 40).")
    package var kubeAPIBurst: String?

    @Option(help: "This pod's name, <statefulset>-<ordinal> (env POD_NAME, from the downward API).")
    package var podName: String?

    @Option(help: "This pod's namespace (env POD_NAMESPACE, from the downward API).")
    package var podNamespace: String?

    // MARK: Leases

    @Option(
        parsing: .unconditional, help: "How long a shard Lease is valid without renewal (default 15s).")
    package var leaseDuration: String?

    @Option(
        parsing: .unconditional, help: "A holder stops all work when it could not renew for this long (default 10s).")
    package var renewDeadline: String?

    @Option(
        parsing: .unconditional, help: "Time between Lease renewals and acquisition attempts (default 2s).")
    package var retryPeriod: String?

    @Option(
        parsing: .unconditional,
        help: "Extra wait after a Lease expired before its objects are taken over (default 15s).")
    package var leaseGrace: String?

    @Option(
        parsing: .unconditional, help: "How long a handoff or shutdown waits for in-flight work (default 30s).")
    package var drainTimeout: String?

    // MARK: Registries, HTTP, logs

    @Option(
        help: "A registry host:port reached over plain HTTP; repeatable (env INSECURE_REGISTRIES, comma-separated).")
    package var insecureRegistry: [String] = []

    @Option(help: "Listen address of /healthz, /readyz and /metrics (default 0.0.0.0:8080).")
    package var metricsAddress: String?

    @Option(help: "json or text (default json in a cluster, text otherwise).")
    package var logFormat: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical (env LOG_LEVEL; default info).")
    package var logLevel: String?

    package init() {}
}
