import KubernetesClient
import Logging
import Updater

import class Foundation.FileManager
import struct Foundation.ObjCBool

extension OperatorConfiguration {
    /// The environment variables whose values are secrets: never quoted in an error, scrubbed from any
    /// message that might echo them (a token pasted into the wrong variable).
    package static let secretVariables = [
        "GITLAB_TOKEN", "EMAIL_PASSWORD", "TELEGRAM_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET",
    ]

    /// Builds and validates the whole configuration: each setting from its flag, else its environment
    /// variable, else its default (see the properties' documentation).
    ///
    /// - Throws: ``OperatorConfigurationError`` for the first unusable value: one line naming the flag or
    ///   variable, the value (secrets never) and the accepted form.
    package static func load(
        options: RunOptions, environment: [String: String]
    ) throws(OperatorConfigurationError) -> OperatorConfiguration {
        let redactor = Redactor(secretVariables.compactMap { environment[$0] }.map(SecretValue.init))
        do {
            var configuration = try Loader(options: options, environment: environment).load()
            configuration.gitOps = try GitOpsSettings.load(environment: environment)
            return configuration
        } catch {
            throw OperatorConfigurationError(error.setting, redactor.scrub(error.message))
        }
    }
}

/// One pass over flags and environment; each `parse…` names the setting it reads.
private struct Loader {
    var options: RunOptions
    var environment: [String: String]

    /// A setting's text: the flag's when given, else the variable's (empty counts as unset).
    struct Value {
        var setting: String
        var text: String
    }

    func value(_ flag: String, _ flagValue: String?, env: String?) -> Value? {
        if let flagValue { return Value(setting: "--\(flag)", text: flagValue) }
        if let env, let text = environment[env], !text.isEmpty { return Value(setting: env, text: text) }
        return nil
    }

    /// A `true`/`false` setting (any case); nil when neither flag nor variable is given.
    func bool(_ flag: String, _ flagValue: String?, env: String) throws(OperatorConfigurationError) -> Bool? {
        guard let value = value(flag, flagValue, env: env) else { return nil }
        switch value.text.lowercased() {
        case "true": return true
        case "false": return false
        default:
            throw OperatorConfigurationError(
                value.setting, "expected true or false, in any case (got \(quoted(value.text)))")
        }
    }

    func load() throws(OperatorConfigurationError) -> OperatorConfiguration {
        let cluster = try parseCluster()
        var configuration = OperatorConfiguration(
            checks: try parseChecks(), gitLab: try parseGitLab(), notifications: try parseNotifications(),
            cluster: cluster, identity: try parseIdentity(), leases: try parseLeases(),
            registries: try parseRegistries(), http: try parseHTTP())
        configuration.logging = try parseLogging(inCluster: cluster.inCluster)
        return configuration
    }

    // MARK: The original's variables

    func parseChecks() throws(OperatorConfigurationError) -> OperatorConfiguration.Checks {
        var checks = OperatorConfiguration.Checks()
        if let value = value(
            "refresh-frequency-in-seconds", options.refreshFrequencyInSeconds, env: "REFRESH_FREQUENCY_IN_SECONDS")
        {
            let accepted = "expected a whole number of seconds from 10 to 31536000, e.g. 3600"
            guard let seconds = Int(value.text), (10...31_536_000).contains(seconds) else {
                throw OperatorConfigurationError(value.setting, "\(accepted) (got \(quoted(value.text)))")
            }
            checks.refreshInterval = .seconds(seconds)
        }
        if let value = value("versions-frontier", options.versionsFrontier, env: "VERSIONS_FRONTIER") {
            guard let frontier = Int(value.text), frontier >= 0 else {
                throw OperatorConfigurationError(
                    value.setting, "expected a whole number 0 or more; 0 = always update (got \(quoted(value.text)))")
            }
            checks.versionsFrontier = frontier
        }
        if let preference = try bool("latest-preference", options.latestPreference, env: "LATEST_PREFERENCE") {
            checks.latestPreference = preference
        }
        if let value = value("min-release-age", options.minReleaseAge, env: "MIN_RELEASE_AGE") {
            guard let age = DurationText.parse(value.text) else {
                throw OperatorConfigurationError(
                    value.setting, "expected a duration such as 72h, 90m or 1h30m (got \(quoted(value.text)))")
            }
            checks.minReleaseAge = age > .zero ? age : nil
        }
        if let value = value("maintenance-windows", options.maintenanceWindows, env: "MAINTENANCE_WINDOWS") {
            do {
                checks.maintenanceWindows = try MaintenanceSchedule(
                    try MaintenanceWindowText.parse(value.text), field: value.setting)
            } catch {
                throw OperatorConfigurationError(value.setting, error.message)
            }
        }
        return checks
    }

    /// The original's three variables, all or none, through ``GitLabConfiguration/fromEnvironment(_:)``.
    func parseGitLab() throws(OperatorConfigurationError) -> GitLabConfiguration? {
        var overlay = environment
        var fromFlag: [String: String] = [:]
        for (name, flag, given) in [
            ("GITLAB_BASE_URL", "--gitlab-base-url", options.gitLabBaseURL),
            ("GITLAB_PROJECT_ID", "--gitlab-project-id", options.gitLabProjectID),
        ] {
            if let given {
                overlay[name] = given
                fromFlag[name] = flag
            }
        }
        do {
            return try GitLabConfiguration.fromEnvironment(overlay)
        } catch {
            var message = error.description
            if case .misconfigured(let text) = error { message = text }
            let setting = ["GITLAB_BASE_URL", "GITLAB_TOKEN", "GITLAB_PROJECT_ID"].first { message.hasPrefix($0) }
            guard let setting else { throw OperatorConfigurationError("GITLAB_BASE_URL", message) }
            let flag = fromFlag[setting]
            throw OperatorConfigurationError(flag.map { "\($0) (\(setting))" } ?? setting, message)
        }
    }

    /// `EMAIL_*`, `TELEGRAM_*` and `WEBHOOK_*` through ``NotificationSettings/init(environment:)``.
    func parseNotifications() throws(OperatorConfigurationError) -> NotificationSettings {
        var overlay = environment
        var fromFlag: [String: String] = [:]
        for (name, flag, given) in [
            ("EMAIL_HOST", "--email-host", options.emailHost), ("EMAIL_PORT", "--email-port", options.emailPort),
            ("EMAIL_SENDER", "--email-sender", options.emailSender),
            ("EMAIL_RECIPIENT", "--email-recipient", options.emailRecipient),
            ("TELEGRAM_CHAT_ID", "--telegram-chat-id", options.telegramChatID),
        ] {
            if let given {
                overlay[name] = given
                fromFlag[name] = flag
            }
        }
        do {
            return try NotificationSettings(environment: overlay)
        } catch {
            let setting = fromFlag[error.variable].map { "\($0) (\(error.variable))" } ?? error.variable
            throw OperatorConfigurationError(setting, error.problem)
        }
    }

    // MARK: Cluster and identity

    func parseCluster() throws(OperatorConfigurationError) -> OperatorConfiguration.Cluster {
        var cluster = try parseConnection()
        if let value = value("kube-api-qps", options.kubeAPIQPS, env: "KUBE_API_QPS") {
            guard let qps = Double(value.text), qps.isFinite, qps > 0, qps <= 100_000 else {
                throw OperatorConfigurationError(
                    value.setting, "expected requests per second over 0, e.g. 50 or 2.5 (got \(quoted(value.text)))")
            }
            cluster.qps = qps
        }
        if let value = value("kube-api-burst", options.kubeAPIBurst, env: "KUBE_API_BURST") {
            guard let burst = Int(value.text), (1...100_000).contains(burst) else {
                throw OperatorConfigurationError(
                    value.setting, "expected a whole number of requests, 1 or more (got \(quoted(value.text)))")
            }
            cluster.burst = burst
        }
        if let cache = try bool("workload-cache", options.workloadCache, env: "WORKLOAD_CACHE") {
            cluster.workloadCache = cache
        }
        return cluster
    }

    func parseConnection() throws(OperatorConfigurationError) -> OperatorConfiguration.Cluster {
        if let path = options.kubeconfig {
            let files = path.split(separator: ":").map(String.init).filter { !$0.isEmpty }
            guard !files.isEmpty else {
                throw OperatorConfigurationError("--kubeconfig", "expected a kubeconfig file path (got \"\")")
            }
            for file in files {
                var isDirectory = ObjCBool(false)
                guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue
                else {
                    throw OperatorConfigurationError(
                        "--kubeconfig", "expected a readable kubeconfig file (\(quoted(file)) does not exist)")
                }
            }
            return OperatorConfiguration.Cluster(kubeconfig: path, inCluster: false)
        }
        let named = environment["KUBECONFIG"].map { !$0.isEmpty } ?? false
        return OperatorConfiguration.Cluster(
            kubeconfig: nil, inCluster: !named && InClusterConfig.isAvailable(environment: environment))
    }

    func parseIdentity() throws(OperatorConfigurationError) -> OperatorConfiguration.Identity {
        guard let name = value("pod-name", options.podName, env: "POD_NAME") else {
            throw OperatorConfigurationError(
                "POD_NAME", "required: this pod's name, <statefulset>-<ordinal> (set it from the downward API)")
        }
        guard let (statefulSet, ordinal) = Self.statefulSetPod(name.text) else {
            throw OperatorConfigurationError(
                name.setting,
                "expected a StatefulSet pod name <statefulset>-<ordinal>, e.g. k8supdater-0 (got \(quoted(name.text)))"
            )
        }
        guard let namespace = value("pod-namespace", options.podNamespace, env: "POD_NAMESPACE") else {
            throw OperatorConfigurationError(
                "POD_NAMESPACE", "required: this pod's namespace (set it from the downward API)")
        }
        guard Self.isDNSLabel(namespace.text) else {
            throw OperatorConfigurationError(
                namespace.setting,
                "expected a namespace name: lower-case letters, digits and '-', at most 63 (got \(quoted(namespace.text)))"
            )
        }
        return OperatorConfiguration.Identity(
            podName: name.text, podNamespace: namespace.text, statefulSetName: statefulSet, ordinal: ordinal)
    }

    /// `web-0` → (`web`, 0): a DNS label ending in `-<ordinal>` (no leading zeros, as the StatefulSet
    /// controller writes it).
    static func statefulSetPod(_ name: String) -> (String, Int)? {
        guard isDNSLabel(name), let dash = name.lastIndex(of: "-") else { return nil }
        let base = name[..<dash]
        let digits = name[name.index(after: dash)...]
        guard !base.isEmpty, !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            digits == "0" || digits.first != "0", let ordinal = Int(digits)
        else { return nil }
        return (String(base), ordinal)
    }

    /// RFC 1123 label: 1-63 of `a-z0-9-`, starting and ending alphanumeric.
    static func isDNSLabel(_ text: String) -> Bool {
        guard (1...63).contains(text.count), text.first != "-", text.last != "-" else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }

    // MARK: Leases

    func parseLeases() throws(OperatorConfigurationError) -> OperatorConfiguration.Leases {
        var leases = OperatorConfiguration.Leases()
        leases.duration = try duration("lease-duration", options.leaseDuration, positive: true) ?? leases.duration
        leases.renewDeadline =
            try duration("renew-deadline", options.renewDeadline, positive: true) ?? leases.renewDeadline
        leases.retryPeriod = try duration("retry-period", options.retryPeriod, positive: true) ?? leases.retryPeriod
        leases.grace = try duration("lease-grace", options.leaseGrace, positive: false) ?? leases.grace
        leases.drainTimeout = try duration("drain-timeout", options.drainTimeout, positive: true) ?? leases.drainTimeout
        let show = DurationText.format
        guard leases.duration > leases.renewDeadline else {
            throw OperatorConfigurationError(
                "--lease-duration",
                "must be longer than --renew-deadline (got \(show(leases.duration)) and \(show(leases.renewDeadline)))")
        }
        guard leases.renewDeadline > leases.retryPeriod * OperatorConfiguration.Leases.jitterFactor else {
            throw OperatorConfigurationError(
                "--renew-deadline",
                "must be longer than 1.2 × --retry-period (got \(show(leases.renewDeadline)) and "
                    + "\(show(leases.retryPeriod)))")
        }
        return leases
    }

    func duration(_ flag: String, _ given: String?, positive: Bool) throws(OperatorConfigurationError) -> Duration? {
        guard let given else { return nil }
        guard let duration = DurationText.parse(given), !positive || duration > .zero else {
            let range = positive ? "a positive duration" : "a duration"
            throw OperatorConfigurationError(
                "--\(flag)", "expected \(range) such as 15s, 500ms or 1m30s (got \(quoted(given)))")
        }
        return duration
    }

    // MARK: Registries, HTTP, logs

    func parseRegistries() throws(OperatorConfigurationError) -> OperatorConfiguration.Registries {
        var entries: [(setting: String, text: String)] = options.insecureRegistry.map { ("--insecure-registry", $0) }
        if let list = environment["INSECURE_REGISTRIES"] {
            entries += list.split(separator: ",", omittingEmptySubsequences: false).map {
                ("INSECURE_REGISTRIES", $0.trimmingCharacters(in: .whitespaces))
            }
            if list.isEmpty { entries.removeAll { $0.setting == "INSECURE_REGISTRIES" } }
        }
        var registries = OperatorConfiguration.Registries()
        for entry in entries {
            guard let hostPort = HostPort(parsing: entry.text) else {
                throw OperatorConfigurationError(
                    entry.setting,
                    "expected host:port of a registry, e.g. registry.local:5000 (got \(quoted(entry.text)))")
            }
            if !registries.insecure.contains(hostPort) { registries.insecure.append(hostPort) }
        }
        return registries
    }

    func parseHTTP() throws(OperatorConfigurationError) -> OperatorConfiguration.HTTP {
        guard let given = options.metricsAddress else { return OperatorConfiguration.HTTP() }
        guard let address = HostPort(parsing: given) else {
            throw OperatorConfigurationError(
                "--metrics-address", "expected host:port, e.g. 0.0.0.0:8080 or [::]:8080 (got \(quoted(given)))")
        }
        return OperatorConfiguration.HTTP(address: address)
    }

    func parseLogging(inCluster: Bool) throws(OperatorConfigurationError) -> OperatorConfiguration.Logging {
        var logging = OperatorConfiguration.Logging(format: inCluster ? .json : .text)
        if let given = options.logFormat {
            guard let format = LogFormat(rawValue: given.lowercased()) else {
                throw OperatorConfigurationError("--log-format", "expected json or text (got \(quoted(given)))")
            }
            logging.format = format
        }
        if let given = value("log-level", options.logLevel, env: "LOG_LEVEL") {
            guard let level = Logger.Level(rawValue: given.text.lowercased()) else {
                let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                throw OperatorConfigurationError(given.setting, "expected one of \(levels) (got \(quoted(given.text)))")
            }
            logging.level = level
        }
        return logging
    }

    /// The value in double quotes, control characters escaped, so the error stays on one line.
    func quoted(_ text: String) -> String { text.debugDescription }
}
