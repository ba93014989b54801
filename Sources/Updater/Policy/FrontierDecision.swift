/// The frontier decision: (current, candidates, frontier, mode) → ``VersionDecision``.
package enum FrontierDecision {
    /// Decides for `current` given `candidates` from ``CandidateSelector`` (newer, same shape, in
    /// any order: the result depends only on the set).
    ///
    /// - Update mode: update to the newest candidate within the frontier; notify of the newest
    ///   candidate overall when it is beyond the frontier. Both may hold.
    /// - NotifyOnly: never update; notify of the newest candidate overall.
    /// - Candidates that are not newer than `current` are ignored, so the result is never a
    ///   downgrade even if a caller passes unfiltered tags.
    package static func decide(
        current: ImageTag, candidates: [ImageTag], frontier: Frontier, mode: UpdateMode, skipped: DecisionReason? = nil
    ) -> VersionDecision {
        var newest: ImageTag?
        var newestAllowed: ImageTag?
        for candidate in candidates where candidate.version > current.version {
            if newest.map({ candidate > $0 }) ?? true { newest = candidate }
            if newestAllowed.map({ candidate > $0 }) ?? true,
                frontier.allowsAutomaticUpdate(from: current.version, to: candidate.version)
            {
                newestAllowed = candidate
            }
        }

        var reasons: [DecisionReason] = []
        var update: String?
        var notify: String?
        if newest == nil {
            reasons.append(.noNewerVersion)
        } else if mode == .notifyOnly, let newest {
            notify = newest.raw
            reasons.append(.notifyOnly(tag: newest.raw))
        } else {
            if let newestAllowed {
                update = newestAllowed.raw
                reasons.append(.withinFrontier(tag: newestAllowed.raw, frontier: frontier))
            }
            if let newest, newest != newestAllowed {
                notify = newest.raw
                reasons.append(.beyondFrontier(tag: newest.raw, frontier: frontier))
            }
        }
        if let skipped { reasons.append(skipped) }
        return VersionDecision(
            current: current.raw, update: update, notify: notify, latestAllowed: newestAllowed?.raw,
            latestAvailable: newest?.raw, reasons: reasons)
    }
}
