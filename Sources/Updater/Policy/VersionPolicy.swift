/// The whole version policy for one container: parse the tags, select candidates, decide.
///
/// This is what the operator and `k8supdater decide` call. Pure: no I/O, no clock.
package struct VersionPolicy: Sendable {
    package let parser: TagParser
    package let frontier: Frontier
    package let mode: UpdateMode

    package init(parser: TagParser = TagParser(), frontier: Frontier, mode: UpdateMode = .update) {
        self.parser = parser
        self.frontier = frontier
        self.mode = mode
    }

    /// Compiles `tagPattern` (when given) and builds the policy.
    /// - Throws: ``TagPatternError`` for an unusable pattern.
    package init(
        flavor: VersionFlavor, tagPattern: String? = nil, frontier: Frontier, mode: UpdateMode = .update
    ) throws(TagPatternError) {
        let pattern = try tagPattern.map { (source) throws(TagPatternError) in try TagPattern(source) }
        self.init(parser: TagParser(flavor: flavor, pattern: pattern), frontier: frontier, mode: mode)
    }

    /// Decides for `currentTag` among `availableTags` (the registry's list, any order, any junk).
    /// - Throws: ``VersionPolicyError/currentTagNotVersioned(tag:reason:)`` when the current tag has
    ///   no readable version; for ``TagRejection/noVersion`` the caller uses ``DigestDecision``.
    package func decide(currentTag: String, availableTags: some Sequence<String>) throws(VersionPolicyError)
        -> VersionDecision
    {
        // The registry's list is an array. Called from another module, this function is not
        // specialized for it, and a loop over `availableTags` would read every element through the
        // `Sequence` witnesses (`IndexingIterator.next()` → `Array`'s subscript `read` coroutine, one
        // heap-allocated coroutine frame per tag). Over the array's own storage the loop is concrete.
        let contiguous = availableTags.withContiguousStorageIfAvailable { tags in
            Result { () throws(VersionPolicyError) in try decide(currentTag: currentTag, tags: tags) }
        }
        if let contiguous { return try contiguous.get() }
        return try decide(currentTag: currentTag, tags: availableTags)
    }

    /// ``decide(currentTag:availableTags:)`` over a sequence this module specializes it for.
    private func decide(currentTag: String, tags availableTags: some Sequence<String>) throws(VersionPolicyError)
        -> VersionDecision
    {
        let current: ImageTag
        switch parser.parse(currentTag) {
        case .success(let tag): current = tag
        case .failure(let reason): throw .currentTagNotVersioned(tag: currentTag, reason: reason)
        }
        if parser.pattern == nil, parser.flavor == .docker, case .numeric(let version) = current.version {
            return decideDockerDefault(current: current, version: version, availableTags: availableTags)
        }
        // CandidateSelector's rules tag by tag; the candidates stay unsorted (FrontierDecision does
        // not need an order).
        let rule = CandidateSelector.Rule(current: current)
        var selection = CandidateSelector.Selection()
        var unreadable = 0
        if parser.pattern != nil, parser.flavor == .docker {
            // Tags of another prefix or suffix are only counted: their versions are not built.
            for raw in availableTags {
                switch parser.parse(raw, unlessOtherThan: rule.shape) {
                case .success(let tag?): selection.add(tag, by: rule)
                case .success(nil): selection.otherShape += 1
                case .failure: unreadable += 1
                }
            }
        } else {
            for raw in availableTags {
                switch parser.parse(raw) {
                case .success(let tag): selection.add(tag, by: rule)
                case .failure: unreadable += 1
                }
            }
        }
        let skipped = DecisionReason.skipped(
            otherShape: selection.otherShape, preReleases: selection.preReleases, unreadable: unreadable)
        return FrontierDecision.decide(
            current: current, candidates: selection.candidates, frontier: frontier, mode: mode, skipped: skipped)
    }
}

extension VersionPolicy {
    /// The default docker flavour without a pattern: the same decision as the general path, reading
    /// only the tags of the current shape (see ``DockerShapeMatcher``).
    private func decideDockerDefault(
        current: ImageTag, version currentVersion: NumericVersion, availableTags: some Sequence<String>
    ) -> VersionDecision {
        let matcher = DockerShapeMatcher(current: current)
        var candidates: [ImageTag] = []
        var otherShape = 0
        var unreadable = 0
        for raw in availableTags {
            switch matcher.match(raw) {
            case .sameShape(let components):
                let version = NumericVersion(components: components)
                if version > currentVersion {
                    candidates.append(
                        ImageTag(raw: raw, prefix: current.prefix, suffix: current.suffix, version: .numeric(version)))
                }
            case .otherShape: otherShape += 1
            case .unreadable: unreadable += 1
            }
        }
        let skipped = DecisionReason.skipped(otherShape: otherShape, preReleases: 0, unreadable: unreadable)
        return FrontierDecision.decide(
            current: current, candidates: candidates, frontier: frontier, mode: mode, skipped: skipped)
    }
}

/// Why ``VersionPolicy`` could not decide.
package enum VersionPolicyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The current tag has no version the policy can read. For `.noVersion` (`latest`, `stable`…)
    /// the tag is floating and the digest decision applies.
    case currentTagNotVersioned(tag: String, reason: TagRejection)

    /// Whether the current tag is a floating tag (decided by digest instead).
    package var isFloatingTag: Bool {
        if case .currentTagNotVersioned(_, .noVersion) = self { return true }
        return false
    }

    /// Always `false`: the same tags give the same answer.
    package var isRetryable: Bool { false }

    package var description: String {
        switch self {
        case .currentTagNotVersioned(let tag, .noVersion):
            "current tag \"\(tag)\" has no version: it is a floating tag, decided by digest"
        case .currentTagNotVersioned(let tag, let reason):
            "current tag \"\(tag)\" cannot be read: \(reason)"
        }
    }
}
