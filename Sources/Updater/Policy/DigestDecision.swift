/// The decision for a tag without a version (`latest`, `stable`, `mainline-alpine`): has the image
/// behind the tag changed **for the platforms this workload runs on**?
///
/// Inputs:
/// - `running`: per platform the workload runs on, the manifest digest its pods run. Runtimes
///   report the digest the tag pointed to when pulled (`imageID`), which for a multi-arch image is
///   the index digest: resolve it to the platform's child manifest (the old index is still
///   addressable by digest) — an index digest alone cannot tell a rebuild for another platform
///   from one for this platform, so it only matches the registry's current index digest;
/// - `registry`: what the tag points to now — its digest (the index digest, or the manifest
///   digest of a single-manifest image) and the manifest digest per platform when known;
/// - `latestPreference`: `LATEST_PREFERENCE` / `spec.latestPreference` (true → restart).
///
/// Rules:
/// - a platform is unchanged when its running digest equals the registry's manifest digest for that
///   platform or the registry's current index digest;
/// - platforms the workload does not run are ignored: a multi-arch rebuild for another platform is
///   not a change for this workload;
/// - a running platform that the tag no longer provides is notified, never restarted (a restart
///   could not pull it);
/// - any changed platform → restart when `latestPreference`, else notify;
/// - nothing running to compare → up to date (nothing is known to be stale yet).
package enum DigestDecision: Equatable, Sendable {
    case upToDate(reason: Reason)
    case restart(reason: Reason)
    case notify(reason: Reason)

    /// The image digests a tag resolves to in the registry right now.
    package struct RegistryState: Equatable, Sendable {
        /// The digest the tag points to: the index (manifest list) digest of a multi-arch image, or
        /// the manifest digest of a single-manifest image; nil if unknown.
        package var index: ImageDigest?
        /// The manifest digest for each platform.
        package var platforms: [Platform: ImageDigest]

        package init(index: ImageDigest?, platforms: [Platform: ImageDigest]) {
            self.index = index
            self.platforms = platforms
        }
    }

    /// Why, with the platforms concerned (sorted) for messages.
    package enum Reason: Equatable, Sendable, CustomStringConvertible {
        case unchanged(platforms: [Platform])
        case nothingRunning
        case changed(platforms: [Platform], latestPreference: Bool)
        case platformNoLongerProvided(platforms: [Platform])

        package var code: String {
            switch self {
            case .unchanged: "unchanged"
            case .nothingRunning: "nothingRunning"
            case .changed: "digestChanged"
            case .platformNoLongerProvided: "platformNoLongerProvided"
            }
        }

        package var description: String {
            func list(_ platforms: [Platform]) -> String { platforms.map(\.description).joined(separator: ", ") }
            switch self {
            case .unchanged(let platforms):
                return "the registry's image is the one running for \(list(platforms))"
            case .nothingRunning:
                return "no running digest to compare yet"
            case .changed(let platforms, let preference):
                let action = preference ? "restart (latestPreference true)" : "notify (latestPreference false)"
                return "a newer image was pushed for \(list(platforms)): \(action)"
            case .platformNoLongerProvided(let platforms):
                return "the tag no longer provides \(list(platforms)): notify only"
            }
        }
    }

    /// Decides per the rules above.
    package static func decide(
        running: [Platform: ImageDigest], registry: RegistryState, latestPreference: Bool
    ) -> DigestDecision {
        guard !running.isEmpty else { return .upToDate(reason: .nothingRunning) }
        var changed: [Platform] = []
        var missing: [Platform] = []
        for (platform, digest) in running {
            if digest == registry.index { continue }
            guard let current = registry.platforms[platform] else {
                // A single-manifest image may carry no platform; its only digest is then the index.
                if registry.platforms.isEmpty, registry.index != nil {
                    changed.append(platform)
                } else {
                    missing.append(platform)
                }
                continue
            }
            if current != digest { changed.append(platform) }
        }
        if !missing.isEmpty { return .notify(reason: .platformNoLongerProvided(platforms: missing.sorted())) }
        if changed.isEmpty { return .upToDate(reason: .unchanged(platforms: running.keys.sorted())) }
        let reason = Reason.changed(platforms: changed.sorted(), latestPreference: latestPreference)
        return latestPreference ? .restart(reason: reason) : .notify(reason: reason)
    }
}
