package import Logging
package import Updater

/// The process-wide swift-log bootstrap of `k8supdater run` (call once, first thing).
package enum OperatorLogging {
    /// Sends every logger's records through a ``LogLineHandler`` in `format` on standard output,
    /// with `secrets` scrubbed.
    package static func bootstrap(format: LogFormat, level: Logger.Level = .info, secrets: [SecretValue]) {
        LoggingSystem.bootstrap { label in
            LogLineHandler(label: label, format: format, level: level, secrets: secrets)
        }
    }
}

extension OperatorConfiguration {
    /// Every secret of the configuration (notification credentials, the GitLab token), for log scrubbing.
    package var secrets: [SecretValue] {
        notifications.secrets + [gitLab.map { SecretValue($0.token) }].compactMap(\.self)
    }
}
