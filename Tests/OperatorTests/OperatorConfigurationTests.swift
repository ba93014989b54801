import ArgumentParser
import Foundation
import Logging
import OperatorCore
import Testing
import Updater

@Suite("OperatorConfiguration: flags and the original's environment variables")
struct OperatorConfigurationTests {
    static let pod = ["POD_NAME": "k8supdater-0", "POD_NAMESPACE": "k8supdater"]

    static func load(_ arguments: [String] = [], _ environment: [String: String] = [:]) throws -> OperatorConfiguration
    {
        let options = try RunOptions.parse(arguments)
        return try OperatorConfiguration.load(options: options, environment: pod.merging(environment) { $1 })
    }

    /// The error for one configuration, which must fail.
    static func failure(_ arguments: [String], _ environment: [String: String]) throws -> OperatorConfigurationError {
        let options = try RunOptions.parse(arguments)
        do {
            let loaded = try OperatorConfiguration.load(options: options, environment: environment)
            Issue.record("accepted: \(loaded)")
            throw CancellationError()
        } catch let error as OperatorConfigurationError {
            return error
        }
    }

    @Test("defaults when only the pod is named")
    func defaults() throws {
        let configuration = try Self.load()
        #expect(configuration.checks.refreshInterval == .seconds(3_600))
        #expect(configuration.checks.versionsFrontier == 1)
        #expect(configuration.checks.latestPreference == false)
        #expect(configuration.gitLab == nil)
        #expect(configuration.notifications == NotificationSettings())
        #expect(configuration.identity.statefulSetName == "k8supdater")
        #expect(configuration.identity.ordinal == 0)
        #expect(configuration.identity.podNamespace == "k8supdater")
        #expect(configuration.leases == OperatorConfiguration.Leases())
        #expect(configuration.leases.duration == .seconds(15))
        #expect(configuration.leases.renewDeadline == .seconds(10))
        #expect(configuration.leases.retryPeriod == .seconds(2))
        #expect(configuration.leases.grace == .seconds(15))
        #expect(configuration.leases.drainTimeout == .seconds(30))
        #expect(configuration.registries.insecure.isEmpty)
        #expect(configuration.http.address.description == "0.0.0.0:8080")
        #expect(configuration.cluster.kubeconfig == nil)
        #expect(configuration.cluster.inCluster == false)
        #expect(configuration.logging.format == .text)
    }

    struct Rejected: Sendable, CustomTestStringConvertible {
        var arguments: [String] = []
        var environment: [String: String] = [:]
        /// The error's exact text.
        var expected: String
        var testDescription: String { expected }
    }

    static let rejected: [Rejected] = [
        // REFRESH_FREQUENCY_IN_SECONDS: the original's README example (2) is now refused.
        .init(
            environment: ["REFRESH_FREQUENCY_IN_SECONDS": "2"],
            expected:
                #"REFRESH_FREQUENCY_IN_SECONDS: expected a whole number of seconds from 10 to 31536000, e.g. 3600 (got "2")"#
        ),
        .init(
            environment: ["REFRESH_FREQUENCY_IN_SECONDS": "9"],
            expected:
                #"REFRESH_FREQUENCY_IN_SECONDS: expected a whole number of seconds from 10 to 31536000, e.g. 3600 (got "9")"#
        ),
        .init(
            environment: ["REFRESH_FREQUENCY_IN_SECONDS": "60s"],
            expected:
                #"REFRESH_FREQUENCY_IN_SECONDS: expected a whole number of seconds from 10 to 31536000, e.g. 3600 (got "60s")"#
        ),
        .init(
            environment: ["REFRESH_FREQUENCY_IN_SECONDS": "1.5"],
            expected:
                #"REFRESH_FREQUENCY_IN_SECONDS: expected a whole number of seconds from 10 to 31536000, e.g. 3600 (got "1.5")"#
        ),
        .init(
            environment: ["REFRESH_FREQUENCY_IN_SECONDS": "-60"],
            expected:
                #"REFRESH_FREQUENCY_IN_SECONDS: expected a whole number of seconds from 10 to 31536000, e.g. 3600 (got "-60")"#
        ),
        .init(
            environment: ["REFRESH_FREQUENCY_IN_SECONDS": "31536001"],
            expected:
                #"REFRESH_FREQUENCY_IN_SECONDS: expected a whole number of seconds from 10 to 31536000, e.g. 3600 (got "31536001")"#
        ),
        .init(
            arguments: ["--refresh-frequency-in-seconds", "5"],
            expected:
                #"--refresh-frequency-in-seconds: expected a whole number of seconds from 10 to 31536000, e.g. 3600 (got "5")"#
        ),
        // VERSIONS_FRONTIER: negative was "always update" in the original; now refused.
        .init(
            environment: ["VERSIONS_FRONTIER": "-1"],
            expected: #"VERSIONS_FRONTIER: expected a whole number 0 or more; 0 = always update (got "-1")"#),
        .init(
            environment: ["VERSIONS_FRONTIER": "two"],
            expected: #"VERSIONS_FRONTIER: expected a whole number 0 or more; 0 = always update (got "two")"#),
        .init(
            environment: ["VERSIONS_FRONTIER": "1.5"],
            expected: #"VERSIONS_FRONTIER: expected a whole number 0 or more; 0 = always update (got "1.5")"#),
        .init(
            arguments: ["--versions-frontier", "-3"],
            expected: #"--versions-frontier: expected a whole number 0 or more; 0 = always update (got "-3")"#),
        // LATEST_PREFERENCE: the original treated anything but "true" as notify.
        .init(
            environment: ["LATEST_PREFERENCE": "yes"],
            expected: #"LATEST_PREFERENCE: expected true or false, in any case (got "yes")"#),
        .init(
            environment: ["LATEST_PREFERENCE": "1"],
            expected: #"LATEST_PREFERENCE: expected true or false, in any case (got "1")"#),
        .init(
            environment: ["LATEST_PREFERENCE": "tru"],
            expected: #"LATEST_PREFERENCE: expected true or false, in any case (got "tru")"#),
        .init(
            arguments: ["--latest-preference", "on"],
            expected: #"--latest-preference: expected true or false, in any case (got "on")"#),
        // GitLab: all three or none (the existing parser's messages).
        .init(
            environment: ["GITLAB_BASE_URL": "https://gitlab.example.com", "GITLAB_PROJECT_ID": "42"],
            expected:
                "GITLAB_TOKEN is not set; GitLab needs GITLAB_BASE_URL, GITLAB_TOKEN and GITLAB_PROJECT_ID"),
        .init(
            environment: [
                "GITLAB_BASE_URL": "gitlab.example.com", "GITLAB_PROJECT_ID": "42", "GITLAB_TOKEN": "t0ps3cr3t",
            ],
            expected: "GITLAB_BASE_URL must be an http(s) URL such as https://gitlab.example.com"),
        .init(
            arguments: ["--gitlab-base-url", "ftp://gitlab.example.com"],
            environment: ["GITLAB_PROJECT_ID": "42", "GITLAB_TOKEN": "t0ps3cr3t"],
            expected:
                "--gitlab-base-url (GITLAB_BASE_URL): GITLAB_BASE_URL must be an http(s) URL such as https://gitlab.example.com"
        ),
        // Notifications: the existing parser's messages.
        .init(
            environment: ["EMAIL_HOST": "smtp.example.com"],
            expected: "EMAIL_PORT: required when EMAIL_HOST is set (an integer from 1 to 65535, e.g. 587)"),
        .init(
            arguments: ["--email-port", "70000"],
            environment: [
                "EMAIL_HOST": "smtp.example.com", "EMAIL_SENDER": "a@example.com", "EMAIL_RECIPIENT": "b@example.com",
            ],
            expected: #"--email-port (EMAIL_PORT): expected an integer from 1 to 65535, e.g. 587 (got "70000")"#),
        .init(
            environment: ["TELEGRAM_TOKEN": "123456:ABC-def"],
            expected: "TELEGRAM_CHAT_ID: required with TELEGRAM_TOKEN (a numeric chat id or @channelname)"),
        .init(
            environment: ["TELEGRAM_TOKEN": "not a token", "TELEGRAM_CHAT_ID": "42"],
            expected: "TELEGRAM_TOKEN: expected a bot token of the form <digits>:<letters, digits, _ or ->"),
        .init(
            environment: ["WEBHOOK_URL": "hooks.example.com/T0000/B0000/XXXXXXXXXXXXXXXX"],
            expected: "WEBHOOK_URL: expected an http:// or https:// URL"),
        // POD_NAME / POD_NAMESPACE.
        .init(
            environment: ["POD_NAMESPACE": "k8supdater"],
            expected: "POD_NAME: required: this pod's name, <statefulset>-<ordinal> (set it from the downward API)"),
        .init(
            environment: ["POD_NAME": "k8supdater-0"],
            expected: "POD_NAMESPACE: required: this pod's namespace (set it from the downward API)"),
        .init(
            environment: ["POD_NAME": "k8supdater-7d9f8-xk2p1", "POD_NAMESPACE": "ns"],
            expected:
                #"POD_NAME: expected a StatefulSet pod name <statefulset>-<ordinal>, e.g. k8supdater-0 (got "k8supdater-7d9f8-xk2p1")"#
        ),
        .init(
            environment: ["POD_NAME": "k8supdater", "POD_NAMESPACE": "ns"],
            expected:
                #"POD_NAME: expected a StatefulSet pod name <statefulset>-<ordinal>, e.g. k8supdater-0 (got "k8supdater")"#
        ),
        .init(
            environment: ["POD_NAME": "k8supdater-01", "POD_NAMESPACE": "ns"],
            expected:
                #"POD_NAME: expected a StatefulSet pod name <statefulset>-<ordinal>, e.g. k8supdater-0 (got "k8supdater-01")"#
        ),
        .init(
            environment: ["POD_NAME": "K8sUpdater-0", "POD_NAMESPACE": "ns"],
            expected:
                #"POD_NAME: expected a StatefulSet pod name <statefulset>-<ordinal>, e.g. k8supdater-0 (got "K8sUpdater-0")"#
        ),
        .init(
            environment: ["POD_NAME": "-0", "POD_NAMESPACE": "ns"],
            expected:
                #"POD_NAME: expected a StatefulSet pod name <statefulset>-<ordinal>, e.g. k8supdater-0 (got "-0")"#),
        .init(
            arguments: ["--pod-name", "web-0\nINJECTED"], environment: ["POD_NAMESPACE": "ns"],
            expected:
                #"--pod-name: expected a StatefulSet pod name <statefulset>-<ordinal>, e.g. k8supdater-0 (got "web-0\nINJECTED")"#
        ),
        .init(
            environment: ["POD_NAME": "web-0", "POD_NAMESPACE": "Kube_System"],
            expected:
                #"POD_NAMESPACE: expected a namespace name: lower-case letters, digits and '-', at most 63 (got "Kube_System")"#
        ),
        // Lease timings.
        .init(
            arguments: ["--lease-duration", "15"],
            expected: #"--lease-duration: expected a positive duration such as 15s, 500ms or 1m30s (got "15")"#),
        .init(
            arguments: ["--renew-deadline", "0s"],
            expected: #"--renew-deadline: expected a positive duration such as 15s, 500ms or 1m30s (got "0s")"#),
        .init(
            arguments: ["--retry-period", "-2s"],
            expected: #"--retry-period: expected a positive duration such as 15s, 500ms or 1m30s (got "-2s")"#),
        .init(
            arguments: ["--lease-grace", "soon"],
            expected: #"--lease-grace: expected a duration such as 15s, 500ms or 1m30s (got "soon")"#),
        .init(
            arguments: ["--drain-timeout", "30x"],
            expected: #"--drain-timeout: expected a positive duration such as 15s, 500ms or 1m30s (got "30x")"#),
        .init(
            arguments: ["--lease-duration", "10s"],
            expected: "--lease-duration: must be longer than --renew-deadline (got 10s and 10s)"),
        .init(
            arguments: ["--renew-deadline", "2400ms", "--retry-period", "2s"],
            expected: "--renew-deadline: must be longer than 1.2 × --retry-period (got 2400ms and 2s)"),
        // The API request budget.
        .init(
            arguments: ["--kube-api-qps", "0"],
            expected: #"--kube-api-qps: expected requests per second over 0, e.g. 50 or 2.5 (got "0")"#),
        .init(
            environment: ["KUBE_API_QPS": "fast"],
            expected: #"KUBE_API_QPS: expected requests per second over 0, e.g. 50 or 2.5 (got "fast")"#),
        .init(
            arguments: ["--kube-api-qps", "nan"],
            expected: #"--kube-api-qps: expected requests per second over 0, e.g. 50 or 2.5 (got "nan")"#),
        .init(
            arguments: ["--kube-api-burst", "2.5"],
            expected: #"--kube-api-burst: expected a whole number of requests, 1 or more (got "2.5")"#),
        .init(
            environment: ["KUBE_API_BURST": "0"],
            expected: #"KUBE_API_BURST: expected a whole number of requests, 1 or more (got "0")"#),
        .init(
            environment: ["WORKLOAD_CACHE": "yes"],
            expected: #"WORKLOAD_CACHE: expected true or false, in any case (got "yes")"#),
        .init(
            arguments: ["--workload-cache", "off"],
            expected: #"--workload-cache: expected true or false, in any case (got "off")"#),
        // Plain-HTTP registries.
        .init(
            arguments: ["--insecure-registry", "registry.local"],
            expected:
                #"--insecure-registry: expected host:port of a registry, e.g. registry.local:5000 (got "registry.local")"#
        ),
        .init(
            arguments: ["--insecure-registry", "http://registry.local:5000"],
            expected:
                #"--insecure-registry: expected host:port of a registry, e.g. registry.local:5000 (got "http://registry.local:5000")"#
        ),
        .init(
            environment: ["INSECURE_REGISTRIES": "registry.local:5000,,other:0"],
            expected: #"INSECURE_REGISTRIES: expected host:port of a registry, e.g. registry.local:5000 (got "")"#),
        .init(
            environment: ["INSECURE_REGISTRIES": "registry.local:5000, other:99999"],
            expected:
                #"INSECURE_REGISTRIES: expected host:port of a registry, e.g. registry.local:5000 (got "other:99999")"#),
        // Listener and logs.
        .init(
            arguments: ["--metrics-address", "8080"],
            expected: #"--metrics-address: expected host:port, e.g. 0.0.0.0:8080 or [::]:8080 (got "8080")"#),
        .init(
            arguments: ["--metrics-address", "::1:8080"],
            expected: #"--metrics-address: expected host:port, e.g. 0.0.0.0:8080 or [::]:8080 (got "::1:8080")"#),
        .init(
            arguments: ["--log-format", "logfmt"], expected: #"--log-format: expected json or text (got "logfmt")"#),
        .init(
            environment: ["LOG_LEVEL": "verbose"],
            expected:
                #"LOG_LEVEL: expected one of trace, debug, info, notice, warning, error, critical (got "verbose")"#),
        .init(
            arguments: ["--log-level", "5"],
            expected: #"--log-level: expected one of trace, debug, info, notice, warning, error, critical (got "5")"#),
        // Kubeconfig named explicitly must exist.
        .init(
            arguments: ["--kubeconfig", "/nonexistent/kubeconfig"],
            expected:
                #"--kubeconfig: expected a readable kubeconfig file ("/nonexistent/kubeconfig" does not exist)"#),
    ]

    @Test("every refused value gives one line naming the setting, the value and the accepted form", arguments: rejected)
    func refused(_ row: Rejected) throws {
        var environment = row.environment
        if environment["POD_NAME"] == nil, environment["POD_NAMESPACE"] == nil {
            environment.merge(Self.pod) { old, _ in old }
        }
        let error = try Self.failure(row.arguments, environment)
        #expect(error.description == row.expected)
        #expect(!error.description.contains("\n"))
    }

    struct Accepted: Sendable, CustomTestStringConvertible {
        var arguments: [String] = []
        var environment: [String: String] = [:]
        var check: @Sendable (OperatorConfiguration) -> Bool
        var testDescription: String { "\(arguments) \(environment.sorted { $0.key < $1.key })" }
    }

    static let accepted: [Accepted] = [
        .init(environment: ["REFRESH_FREQUENCY_IN_SECONDS": "10"]) { $0.checks.refreshInterval == .seconds(10) },
        .init(environment: ["REFRESH_FREQUENCY_IN_SECONDS": "43200"]) { $0.checks.refreshInterval == .seconds(43_200) },
        .init(arguments: ["--refresh-frequency-in-seconds", "60"], environment: ["REFRESH_FREQUENCY_IN_SECONDS": "2"]) {
            $0.checks.refreshInterval == .seconds(60)
        },
        .init(environment: ["REFRESH_FREQUENCY_IN_SECONDS": ""]) { $0.checks.refreshInterval == .seconds(3_600) },
        .init(environment: ["VERSIONS_FRONTIER": "0"]) { $0.checks.versionsFrontier == 0 },
        .init(environment: ["VERSIONS_FRONTIER": "2"]) { $0.checks.versionsFrontier == 2 },
        .init(arguments: ["--versions-frontier", "3"], environment: ["VERSIONS_FRONTIER": "-1"]) {
            $0.checks.versionsFrontier == 3
        },
        .init(environment: ["LATEST_PREFERENCE": "true"]) { $0.checks.latestPreference },
        .init(environment: ["LATEST_PREFERENCE": "TRUE"]) { $0.checks.latestPreference },
        .init(environment: ["LATEST_PREFERENCE": "True"]) { $0.checks.latestPreference },
        .init(environment: ["LATEST_PREFERENCE": "false"]) { !$0.checks.latestPreference },
        .init(environment: ["LATEST_PREFERENCE": "FALSE"]) { !$0.checks.latestPreference },
        .init(arguments: ["--latest-preference", "false"], environment: ["LATEST_PREFERENCE": "true"]) {
            !$0.checks.latestPreference
        },
        .init(environment: [
            "GITLAB_BASE_URL": "https://gitlab.example.com/", "GITLAB_TOKEN": "t0ps3cr3t", "GITLAB_PROJECT_ID": "42",
        ]) {
            $0.gitLab == GitLabConfiguration(baseURL: "https://gitlab.example.com", projectID: "42", token: "t0ps3cr3t")
        },
        .init(
            arguments: ["--gitlab-project-id", "group/app"],
            environment: [
                "GITLAB_BASE_URL": "https://gitlab.example.com", "GITLAB_TOKEN": "t", "GITLAB_PROJECT_ID": "1",
            ]
        ) { $0.gitLab?.projectID == "group/app" },
        .init(environment: [
            "EMAIL_HOST": "smtp.example.com", "EMAIL_PORT": "465", "EMAIL_SENDER": "ops@example.com",
            "EMAIL_RECIPIENT": "a@example.com, b@example.com", "EMAIL_PASSWORD": "pw",
        ]) {
            $0.notifications.email?.recipients == ["a@example.com", "b@example.com"]
                && $0.notifications.email?.security == .implicitTLS
        },
        .init(
            arguments: ["--email-host", "relay.example.com"],
            environment: [
                "EMAIL_HOST": "smtp.example.com", "EMAIL_PORT": "25", "EMAIL_SENDER": "ops@example.com",
                "EMAIL_RECIPIENT": "a@example.com", "EMAIL_PASSWORD": "",
            ]
        ) { $0.notifications.email?.host == "relay.example.com" && $0.notifications.email?.password == nil },
        .init(environment: ["TELEGRAM_TOKEN": "123456:ABC-def", "TELEGRAM_CHAT_ID": "-1001234"]) {
            $0.notifications.telegram?.chatID == "-1001234"
        },
        .init(environment: ["WEBHOOK_URL": "https://hooks.example.com/T0/B0/XXXXXXXXXXXXXXXX"]) {
            $0.notifications.webhook != nil
        },
        .init(environment: ["POD_NAME": "k8supdater-12", "POD_NAMESPACE": "ops"]) {
            $0.identity.statefulSetName == "k8supdater" && $0.identity.ordinal == 12
                && $0.identity.podNamespace == "ops"
        },
        .init(environment: ["POD_NAME": "my-web-app-0", "POD_NAMESPACE": "ops"]) {
            $0.identity.statefulSetName == "my-web-app" && $0.identity.ordinal == 0
        },
        .init(arguments: ["--pod-name", "op-3", "--pod-namespace", "other"]) {
            $0.identity.podName == "op-3" && $0.identity.podNamespace == "other"
        },
        .init(arguments: [
            "--lease-duration", "1m", "--renew-deadline", "40s", "--retry-period", "500ms", "--lease-grace", "0s",
            "--drain-timeout", "1m30s",
        ]) {
            $0.leases
                == OperatorConfiguration.Leases(
                    duration: .seconds(60), renewDeadline: .seconds(40), retryPeriod: .milliseconds(500), grace: .zero,
                    drainTimeout: .seconds(90))
        },
        .init(arguments: ["--lease-duration", "1.5s", "--renew-deadline", "1s", "--retry-period", "250ms"]) {
            $0.leases.duration == .milliseconds(1_500) && $0.leases.retryPeriod == .milliseconds(250)
        },
        .init(
            arguments: ["--insecure-registry", "Registry.Local:5000", "--insecure-registry", "[::1]:5000"],
            environment: ["INSECURE_REGISTRIES": "127.0.0.1:5001, registry.local:5000"]
        ) {
            $0.registries.insecure.map(\.description) == ["registry.local:5000", "[::1]:5000", "127.0.0.1:5001"]
                && $0.registries.allowsPlainHTTP("registry.local:5000") && !$0.registries.allowsPlainHTTP("docker.io")
        },
        .init(environment: ["INSECURE_REGISTRIES": ""]) { $0.registries.insecure.isEmpty },
        .init(environment: [:]) { $0.cluster.qps == 20 && $0.cluster.burst == 40 },
        .init(arguments: ["--kube-api-qps", "150", "--kube-api-burst", "300"], environment: ["KUBE_API_QPS": "5"]) {
            $0.cluster.qps == 150 && $0.cluster.burst == 300
        },
        .init(environment: ["KUBE_API_QPS": "2.5", "KUBE_API_BURST": "5"]) {
            $0.cluster.qps == 2.5 && $0.cluster.burst == 5
        },
        .init(environment: [:]) { $0.cluster.workloadCache },
        .init(environment: ["WORKLOAD_CACHE": "False"]) { !$0.cluster.workloadCache },
        .init(arguments: ["--workload-cache", "true"], environment: ["WORKLOAD_CACHE": "false"]) {
            $0.cluster.workloadCache
        },
        .init(arguments: ["--metrics-address", "127.0.0.1:9090"]) { $0.http.address.description == "127.0.0.1:9090" },
        .init(arguments: ["--metrics-address", "[::]:8080"]) { $0.http.address.host == "::" },
        .init(arguments: ["--log-format", "JSON"]) { $0.logging.format == .json },
        .init(environment: [:]) { $0.logging.level == .info },
        .init(environment: ["LOG_LEVEL": "DEBUG"]) { $0.logging.level == .debug },
        .init(arguments: ["--log-level", "warning"], environment: ["LOG_LEVEL": "trace"]) {
            $0.logging.level == .warning
        },
        .init(environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"]) {
            $0.cluster.inCluster && $0.logging.format == .json
        },
        .init(
            arguments: ["--log-format", "text"],
            environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"]
        ) { $0.cluster.inCluster && $0.logging.format == .text },
        .init(environment: [
            "KUBECONFIG": "/tmp/k", "KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443",
        ]) { !$0.cluster.inCluster && $0.logging.format == .text },
        .init(arguments: ["--kubeconfig", "/dev/null"]) {
            $0.cluster.kubeconfig == "/dev/null" && !$0.cluster.inCluster
        },
    ]

    @Test("accepted values, and flags win over the environment", arguments: accepted)
    func acceptedValues(_ row: Accepted) throws {
        let configuration = try Self.load(row.arguments, row.environment)
        #expect(row.check(configuration))
    }

    @Test("a secret is never quoted back, even when pasted into the wrong variable")
    func secretsRedacted() throws {
        let token = "glpat-XXXXXXXXXXXXXXXXXXXX"
        let environment = Self.pod.merging([
            "GITLAB_BASE_URL": "https://gitlab.example.com", "GITLAB_TOKEN": token, "GITLAB_PROJECT_ID": "1",
            "VERSIONS_FRONTIER": token,
        ]) { $1 }
        let error = try Self.failure([], environment)
        #expect(error.setting == "VERSIONS_FRONTIER")
        #expect(!error.description.contains(token))
        #expect(error.description.contains(SecretValue.placeholder))
    }

    @Test("the configuration's secrets are what logs must scrub")
    func secretsForLogs() throws {
        let configuration = try Self.load(
            [],
            [
                "GITLAB_BASE_URL": "https://gitlab.example.com", "GITLAB_TOKEN": "gl-token", "GITLAB_PROJECT_ID": "1",
                "TELEGRAM_TOKEN": "123456:ABC-def", "TELEGRAM_CHAT_ID": "42",
            ])
        let revealed = Set(configuration.secrets.map(\.revealed))
        #expect(revealed.isSuperset(of: ["gl-token", "123456:ABC-def", "ABC-def"]))
    }

    @Test(
        "durations in Go's notation",
        arguments: [
            ("15s", Duration.seconds(15)), ("500ms", .milliseconds(500)), ("1m30s", .seconds(90)),
            ("1.5h", .seconds(5_400)),
            ("2us", .microseconds(2)), ("0s", .zero), ("10ns", .nanoseconds(10)),
        ])
    func durations(_ text: String, _ expected: Duration) {
        #expect(DurationText.parse(text) == expected)
    }

    @Test(
        "refused duration forms",
        arguments: ["", "15", "s", "1.2.3s", "-1s", "+1s", "1 s", "1d", "1e3s", ".s", "99999999999h"])
    func refusedDurations(_ text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test("durations print back in the same notation", arguments: ["15s", "1m30s", "2h", "250ms", "0s", "1h0m1s"])
    func formatting(_ text: String) throws {
        let duration = try #require(DurationText.parse(text))
        #expect(DurationText.parse(DurationText.format(duration)) == duration)
    }
}
