package import struct Foundation.Date

/// What one check of one container found: the unit of notification.
///
/// A finding names the object it belongs to (the VersioningHandler), the Deployment and container,
/// the image and its versions, and what the operator did about it. It carries everything a message
/// needs, so channels never look anything up.
package struct Finding: Sendable, Hashable {
    /// The VersioningHandler that owns the check (its status holds the dedup records).
    package var handler: ObjectName
    /// The Deployment whose container was checked.
    package var deployment: ObjectName
    /// The container's name in the pod template.
    package var container: String
    /// The image repository as written in the pod spec, without tag or digest (e.g. `nginx`).
    package var image: String
    /// The tag the container ran when checked.
    package var currentTag: String
    /// The newest version within the frontier (what an automatic update may pick), if any.
    package var newestAllowed: String?
    /// The newest version overall, if any (may be beyond the frontier).
    package var newestOverall: String?
    /// What was done.
    package var outcome: Outcome
    /// When the check ran (wall time; shown in messages, recorded in the dedup ledger, never fingerprinted).
    package var observedAt: Date

    package init(
        handler: ObjectName,
        deployment: ObjectName,
        container: String,
        image: String,
        currentTag: String,
        newestAllowed: String? = nil,
        newestOverall: String? = nil,
        outcome: Outcome,
        observedAt: Date
    ) {
        self.handler = handler
        self.deployment = deployment
        self.container = container
        self.image = image
        self.currentTag = currentTag
        self.newestAllowed = newestAllowed
        self.newestOverall = newestOverall
        self.outcome = outcome
        self.observedAt = observedAt
    }

    /// A namespaced object name.
    package struct ObjectName: Sendable, Hashable, CustomStringConvertible {
        package var namespace: String
        package var name: String

        package init(namespace: String, name: String) {
            self.namespace = namespace
            self.name = name
        }

        package var description: String { "\(namespace)/\(name)" }
    }

    /// What the operator did about a container after checking it.
    package enum Outcome: Sendable, Hashable {
        /// The image tag was changed to `to` (the Deployment rolls out).
        case updated(to: String)
        /// The running tag (e.g. `latest`) moved in the registry; the Deployment was restarted to pull it.
        case restarted
        /// A newer version exists but was not applied; `reason` says why (notify-only).
        case updateAvailable(NotifyOnlyReason)
        /// The check itself failed; reported once per distinct failure.
        case checkFailed(CheckFailure)
        /// GitOps write-back: the new tag `to` was committed to Git as `commit` (the GitOps engine
        /// rolls it out; the Deployment was not touched).
        case committed(to: String, commit: String)
        /// A newer tag `to` may be applied but waits (a maintenance window); `until` is when it is
        /// applied (shown, never fingerprinted).
        case held(to: String, reason: HoldReason, until: Date?)
        /// The rollout of `failed` did not become available (`reason`); the container was set back to
        /// `restored`, and `failed` is not tried again.
        case rolledBack(failed: String, restored: String, reason: String)
    }

    /// Why an applicable update waits.
    package enum HoldReason: String, Sendable, Hashable {
        /// Outside every maintenance window.
        case maintenanceWindow
        /// Younger than the minimum release age.
        case releaseAge
    }

    /// Why a newer version was reported instead of applied.
    package enum NotifyOnlyReason: String, Sendable, Hashable {
        /// The newer version differs within the protected components (left of the frontier).
        case beyondFrontier
        /// The running tag moved in the registry and `LATEST_PREFERENCE` is not `true`.
        case latestPreference
        /// The VersioningHandler is in `NotifyOnly` mode.
        case notifyOnlyMode
    }

    /// Why a container could not be checked. `reason` is a short UpperCamelCase category
    /// (e.g. `RegistryUnreachable`, `RegistryAuthFailed`); `message` must be stable for one cause and
    /// free of secrets, since the pair is the failure's identity.
    package struct CheckFailure: Sendable, Hashable {
        package var reason: String
        package var message: String

        package init(reason: String, message: String) {
            self.reason = reason
            self.message = message
        }
    }
}
