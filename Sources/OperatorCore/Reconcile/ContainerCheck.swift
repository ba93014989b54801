package import Foundation
package import Updater

/// What one check found for one container, and what to do about it.
package struct ContainerCheck: Sendable, Hashable {
    /// What to do to the Deployment (in `Update` mode) for this container.
    package enum Change: Sendable, Hashable {
        /// Patch the container's image (by container name) to this reference.
        case setImage(String)
        /// Restart the Pods (`kubectl.kubernetes.io/restartedAt`) to pull the tag again.
        case restart
    }

    package var name: String
    /// The image as written in the pod template.
    package var image: String
    package var reference: ImageReference
    package var currentTag: String
    package var decision: VersionDecision?
    package var digestDecision: DigestDecision?
    /// The digest the Pods run now (the first of the current ReplicaSet's Pods).
    package var runningDigest: String?
    /// Why the check failed, if it did.
    package var failure: Finding.CheckFailure?
    /// For a floating tag: the digest the registry serves for it now (what write-back pins).
    package var registryDigest: String?
    /// The change to make; nil for none (up to date, notify only, failed).
    package var change: Change?
    /// What to tell the user about; nil for nothing.
    package var outcome: Finding.Outcome?
    /// `spec.frontier` is deeper than the tag's version has components (every update is applied).
    package var frontierDeeperThanTag: (frontier: Int, components: Int)?
    /// An applicable change that waits (release age, maintenance window, another rollout).
    package var hold: Hold?

    /// Why an applicable change was not made now, and until when.
    package struct Hold: Sendable, Hashable {
        /// The tag that waits (the current one for a restart).
        package var tag: String
        /// When it may be applied; nil when unknown (the next check decides again).
        package var until: Date?
        /// For `status.containers[].message`, e.g. `1.25.5 waits until 2026-11-25 14:02 UTC …`.
        package var message: String
    }

    package static func == (lhs: ContainerCheck, rhs: ContainerCheck) -> Bool {
        lhs.name == rhs.name && lhs.image == rhs.image && lhs.decision == rhs.decision
            && lhs.digestDecision == rhs.digestDecision && lhs.runningDigest == rhs.runningDigest
            && lhs.failure == rhs.failure && lhs.change == rhs.change && lhs.outcome == rhs.outcome
            && lhs.frontierDeeperThanTag?.frontier == rhs.frontierDeeperThanTag?.frontier
            && lhs.frontierDeeperThanTag?.components == rhs.frontierDeeperThanTag?.components && lhs.hold == rhs.hold
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(image)
    }

    /// Decides what to do from the registry's answer (pure: no I/O).
    ///
    /// - Parameters:
    ///   - tags: the registry's tag list.
    ///   - registryDigest: for a floating tag (no version), the registry's manifest for it.
    static func decide(
        name: String, image: String, reference: ImageReference, policy: VersionPolicy, tags: [String],
        registryDigest: ManifestDigest?, running: [ImageDigest], settings: EffectiveSettings
    ) -> ContainerCheck {
        let currentTag = reference.effectiveTag ?? "latest"
        var check = ContainerCheck(
            name: name, image: image, reference: reference, currentTag: currentTag,
            runningDigest: running.first?.description)
        do {
            let decision = try policy.decide(currentTag: currentTag, availableTags: tags)
            check.decision = decision
            if case .success(let tag) = policy.parser.parse(currentTag), settings.frontier > 0,
                settings.frontier > tag.version.components.count
            {
                check.frontierDeeperThanTag = (settings.frontier, tag.version.components.count)
            }
            if let update = decision.update {
                check.change = .setImage(reference.replacingTag(update))
                check.outcome = .updated(to: update)
            } else if let notify = decision.notify, notify != decision.current {
                check.outcome = .updateAvailable(settings.mode == .notifyOnly ? .notifyOnlyMode : .beyondFrontier)
            }
        } catch {
            guard error.isFloatingTag, let registryDigest else {
                check.failure = Finding.CheckFailure(reason: "UnreadableTag", message: error.description)
                check.outcome = .checkFailed(check.failure ?? .init(reason: "UnreadableTag", message: ""))
                return check
            }
            check.registryDigest = registryDigest.digest
            var runningByPlatform: [Platform: ImageDigest] = [:]
            if let digest = running.first { runningByPlatform[settings.platform] = digest }
            let digestDecision = DigestDecision.decide(
                running: runningByPlatform, registry: registryDigest.registryState,
                latestPreference: settings.latestPreference)
            check.digestDecision = digestDecision
            switch digestDecision {
            case .upToDate: break
            case .restart:
                if settings.mode == .notifyOnly {
                    check.outcome = .updateAvailable(.notifyOnlyMode)
                } else {
                    check.change = .restart
                    check.outcome = .restarted
                }
            case .notify:
                check.outcome = .updateAvailable(.latestPreference)
            }
        }
        return check
    }

    /// A container whose registry lookup failed.
    static func failed(
        name: String, image: String, reference: ImageReference, running: [ImageDigest], error: RegistryError
    )
        -> ContainerCheck
    {
        let failure = Finding.CheckFailure(reason: error.reason, message: error.description)
        return ContainerCheck(
            name: name, image: image, reference: reference, currentTag: reference.effectiveTag ?? "latest",
            runningDigest: running.first?.description, failure: failure, outcome: .checkFailed(failure))
    }
}

/// The settings for one object: its spec's overrides over the global ones.
package struct EffectiveSettings: Sendable, Hashable {
    package var frontier: Int
    package var latestPreference: Bool
    package var mode: UpdateMode
    package var platform: Platform
}
