package import Foundation
package import Updater
package import VersioningAPI

/// The global settings a VersioningHandler's spec overrides (`VERSIONS_FRONTIER`, `LATEST_PREFERENCE`,
/// mode), plus this replica's identity and the status heartbeat.
package struct ReconcileSettings: Sendable {
    /// This replica (the pod name), written to `status.shard`.
    package var shard: String
    /// `VERSIONS_FRONTIER`; `spec.frontier` overrides it.
    package var frontier: Int
    /// `LATEST_PREFERENCE`; `spec.latestPreference` overrides it.
    package var latestPreference: Bool
    /// `spec.mode` overrides it.
    package var mode: UpdateMode
    /// Registry hosts (`host:port`) reached over plain HTTP (`--insecure-registry`).
    package var insecureRegistries: Set<String>
    /// The platform the cluster's nodes run, for comparing a floating tag's per-platform digests.
    package var platform: Platform
    /// `REFRESH_FREQUENCY_IN_SECONDS` (`spec.refreshSeconds` overrides it): registry lookups and Secrets a
    /// check uses are at most one interval old.
    package var refreshInterval: Duration?
    /// A status whose only change would be `lastChecked` is written at most this often.
    package var heartbeat: Duration
    /// The global GitLab settings (`GITLAB_*`), for `containerregistry: gitlab` without `spec.gitlab`.
    package var gitLab: GitLabConfiguration?
    /// `MIN_RELEASE_AGE` (`spec.minReleaseAge` overrides it); nil: off.
    package var minReleaseAge: Duration?
    /// `MAINTENANCE_WINDOWS` (`spec.maintenanceWindows` overrides it); nil: at any time.
    package var maintenanceWindows: MaintenanceSchedule?
    /// How often a rollout the operator started is looked at while it progresses.
    package var rolloutPollInterval: Duration
    /// How long after its deadline a rollout the Deployment never reports on counts as failed.
    package var rolloutGrace: Duration
    /// The wall clock for `lastChecked`, transition times and findings.
    package var now: @Sendable () -> Date

    package init(
        shard: String, frontier: Int = 1, latestPreference: Bool = false, mode: UpdateMode = .update,
        insecureRegistries: Set<String> = [], platform: Platform = .linuxAMD64, heartbeat: Duration = .seconds(300),
        gitLab: GitLabConfiguration? = nil, refreshInterval: Duration? = nil, minReleaseAge: Duration? = nil,
        maintenanceWindows: MaintenanceSchedule? = nil, rolloutPollInterval: Duration = .seconds(5),
        rolloutGrace: Duration = .seconds(60), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.minReleaseAge = minReleaseAge
        self.maintenanceWindows = maintenanceWindows
        self.rolloutPollInterval = rolloutPollInterval
        self.rolloutGrace = rolloutGrace
        self.refreshInterval = refreshInterval
        self.shard = shard
        self.frontier = frontier
        self.latestPreference = latestPreference
        self.mode = mode
        self.insecureRegistries = insecureRegistries
        self.platform = platform
        self.heartbeat = heartbeat
        self.gitLab = gitLab
        self.now = now
    }

    /// The interval `spec` sets for its checks (`spec.refreshSeconds`, else ``refreshInterval``); nil
    /// when neither does.
    package func configuredInterval(of spec: VersioningHandler.Spec) -> Duration? {
        spec.refreshSeconds.map { Duration.seconds($0) } ?? refreshInterval
    }

    /// The interval between checks of an object with `spec` (the configured one, else the default).
    package func interval(of spec: VersioningHandler.Spec) -> Duration {
        configuredInterval(of: spec) ?? OperatorConfiguration.Checks.defaultRefreshInterval
    }
}
