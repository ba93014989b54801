package import Logging
package import Updater

/// Everything `k8supdater run` is configured with, validated: built by
/// ``load(options:environment:)`` from the original k8sUpdater's environment variables plus flags
/// (a flag wins over its variable). Each default below is the value used when neither is given.
package struct OperatorConfiguration: Sendable, Hashable {
    /// How often each object is checked and what a check may do.
    package var checks: Checks
    /// The global GitLab registry (`GITLAB_BASE_URL`, `GITLAB_TOKEN`, `GITLAB_PROJECT_ID`; all or none).
    package var gitLab: GitLabConfiguration?
    /// E-mail, Telegram and webhook channels (`EMAIL_*`, `TELEGRAM_*`, `WEBHOOK_*`).
    package var notifications: NotificationSettings
    /// Which API server, and as whom.
    package var cluster: Cluster
    /// This replica: its StatefulSet pod.
    package var identity: Identity
    /// Shard Lease timings.
    package var leases: Leases
    /// Registries reached over plain HTTP.
    package var registries: Registries
    /// The `/healthz`, `/readyz` and `/metrics` listener.
    package var http: HTTP
    /// How logs are written.
    package var logging: Logging
    /// GitOps write-back (`GITOPS_*`), for objects with `spec.writeBack`.
    package var gitOps = GitOpsSettings()

    package init(
        checks: Checks = Checks(), gitLab: GitLabConfiguration? = nil,
        notifications: NotificationSettings = NotificationSettings(), cluster: Cluster = Cluster(),
        identity: Identity, leases: Leases = Leases(), registries: Registries = Registries(), http: HTTP = HTTP(),
        logging: Logging = Logging()
    ) {
        self.checks = checks
        self.gitLab = gitLab
        self.notifications = notifications
        self.cluster = cluster
        self.identity = identity
        self.leases = leases
        self.registries = registries
        self.http = http
        self.logging = logging
    }

    /// The schedule and the global version policy.
    package struct Checks: Sendable, Hashable {
        /// Time between two checks of one object (`REFRESH_FREQUENCY_IN_SECONDS`, at least 10 s).
        /// Default 1 hour (the original had no default and recommended 12 hours).
        package var refreshInterval: Duration
        /// How many leading version components are protected: a newer tag differing there is only
        /// notified (`VERSIONS_FRONTIER`, 0 or more; 0 = always update). Default 1.
        package var versionsFrontier: Int
        /// For floating tags (`latest`): true restarts on a new digest, false notifies
        /// (`LATEST_PREFERENCE`). Default false.
        package var latestPreference: Bool
        /// A new tag is applied only once the registry says it is this old (`MIN_RELEASE_AGE`, a
        /// duration such as `72h`). Default nil: off.
        package var minReleaseAge: Duration?
        /// Updates and restarts happen only inside these windows (`MAINTENANCE_WINDOWS`). Default nil:
        /// at any time.
        package var maintenanceWindows: MaintenanceSchedule?

        package static let defaultRefreshInterval = Duration.seconds(3_600)
        package static let minimumRefreshInterval = Duration.seconds(10)

        package init(
            refreshInterval: Duration = Checks.defaultRefreshInterval, versionsFrontier: Int = 1,
            latestPreference: Bool = false
        ) {
            self.refreshInterval = refreshInterval
            self.versionsFrontier = versionsFrontier
            self.latestPreference = latestPreference
        }
    }

    /// The API server: a kubeconfig (`--kubeconfig`, else `KUBECONFIG`, else `~/.kube/config` when it
    /// exists) or the pod's service account.
    package struct Cluster: Sendable, Hashable {
        /// An explicit `--kubeconfig` (a `:`-separated list, like `KUBECONFIG`); nil = the usual lookup.
        package var kubeconfig: String?
        /// Whether the process runs in a pod and no kubeconfig was named (then logs default to JSON).
        package var inCluster: Bool
        /// Sustained requests per second of the workload client (`--kube-api-qps`; the Lease client has
        /// its own small budget so that renewals never queue behind checks).
        package var qps: Double
        /// Requests allowed at once before ``qps`` applies (`--kube-api-burst`).
        package var burst: Int
        /// Whether checks read the workload from watch caches (`--workload-cache`, ``WorkloadCache``).
        package var workloadCache: Bool

        package init(
            kubeconfig: String? = nil, inCluster: Bool = false, qps: Double = 20, burst: Int = 40,
            workloadCache: Bool = true
        ) {
            self.kubeconfig = kubeconfig
            self.inCluster = inCluster
            self.qps = qps
            self.burst = burst
            self.workloadCache = workloadCache
        }
    }

    /// This replica's pod (`POD_NAME`, `POD_NAMESPACE`, from the downward API): a StatefulSet pod
    /// named `<statefulset>-<ordinal>`.
    package struct Identity: Sendable, Hashable {
        package var podName: String
        package var podNamespace: String
        /// The StatefulSet the pod belongs to (the pod name without `-<ordinal>`).
        package var statefulSetName: String
        package var ordinal: Int

        package init(podName: String, podNamespace: String, statefulSetName: String, ordinal: Int) {
            self.podName = podName
            self.podNamespace = podNamespace
            self.statefulSetName = statefulSetName
            self.ordinal = ordinal
        }
    }

    /// Lease timings, as in client-go's leader election: a holder renews every `retryPeriod`, gives up
    /// (stops all work) when it has not renewed within `renewDeadline`, and others may take over a Lease
    /// not renewed for `leaseDuration` plus `grace`. Invariant (checked at load):
    /// `leaseDuration > renewDeadline > 1.2 × retryPeriod`.
    package struct Leases: Sendable, Hashable {
        /// `--lease-duration`, default 15 s.
        package var duration: Duration
        /// `--renew-deadline`, default 10 s.
        package var renewDeadline: Duration
        /// `--retry-period`, default 2 s.
        package var retryPeriod: Duration
        /// `--lease-grace`: extra wait after expiry before a takeover, default 15 s.
        package var grace: Duration
        /// `--drain-timeout`: how long a live handoff (or SIGTERM) waits for in-flight work, default 30 s.
        package var drainTimeout: Duration

        /// client-go's `JitterFactor`: the renew deadline must leave room for a jittered retry.
        package static let jitterFactor = 1.2

        package init(
            duration: Duration = .seconds(15), renewDeadline: Duration = .seconds(10),
            retryPeriod: Duration = .seconds(2),
            grace: Duration = .seconds(15), drainTimeout: Duration = .seconds(30)
        ) {
            self.duration = duration
            self.renewDeadline = renewDeadline
            self.retryPeriod = retryPeriod
            self.grace = grace
            self.drainTimeout = drainTimeout
        }
    }

    /// Registries the operator may talk plain HTTP to (`--insecure-registry`, `INSECURE_REGISTRIES`);
    /// every other registry is HTTPS only. Default: none.
    package struct Registries: Sendable, Hashable {
        package var insecure: [HostPort]

        package init(insecure: [HostPort] = []) { self.insecure = insecure }

        /// Whether `host` (as written in an image reference, `host:port`) was named insecure.
        package func allowsPlainHTTP(_ host: String) -> Bool {
            insecure.contains { $0.description == host.lowercased() }
        }
    }

    /// The probe and metrics listener (`--metrics-address`, default `0.0.0.0:8080`).
    package struct HTTP: Sendable, Hashable {
        package var address: HostPort

        package static let defaultAddress = HostPort(host: "0.0.0.0", port: 8_080)

        package init(address: HostPort = HTTP.defaultAddress) { self.address = address }
    }

    /// `--log-format json|text`: JSON by default in a cluster, text otherwise.
    package struct Logging: Sendable, Hashable {
        package var format: LogFormat
        /// The least severe level written.
        package var level: Logger.Level

        package init(format: LogFormat = .text, level: Logger.Level = .info) {
            self.format = format
            self.level = level
        }
    }
}

/// How log lines are written.
package enum LogFormat: String, Sendable, Hashable, CaseIterable {
    /// One JSON object per line (for log collectors).
    case json
    /// Human-readable lines.
    case text
}

/// `host:port`: a host name, an IPv4 address or a bracketed IPv6 address, and a port 1-65535.
package struct HostPort: Sendable, Hashable, CustomStringConvertible {
    /// Lower-cased; an IPv6 address without brackets.
    package var host: String
    package var port: Int

    package init(host: String, port: Int) {
        self.host = host.lowercased()
        self.port = port
    }

    /// Parses `host:port` (`[::1]:8080` for IPv6); nil when it is not of that form.
    package init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65_535).contains(port), text[text.index(after: colon)...].allSatisfy(\.isASCII)
        else { return nil }
        var host = text[..<colon]
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else { return nil }
            host = host.dropFirst().dropLast()
            guard host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }), host.contains(":") else { return nil }
        } else {
            let labels = host.split(separator: ".", omittingEmptySubsequences: false)
            guard !host.isEmpty, host.count <= 253,
                labels.allSatisfy({ label in
                    !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                        && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
                })
            else { return nil }
        }
        self.init(host: String(host), port: port)
    }

    /// `host:port`, with brackets around an IPv6 address.
    package var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
