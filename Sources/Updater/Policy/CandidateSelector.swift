/// Chooses, from a registry's tags, the ones the current tag may move to.
///
/// A candidate:
/// - has the current tag's shape: same prefix, suffix and component count (precision kept:
///   `1.25` → `1.26`, `1.25.3-alpine` → `1.25.4-alpine`);
/// - is a pre-release only when the current tag is one;
/// - is strictly newer than the current tag (never a downgrade, never a re-spelling of the same
///   version);
/// - is one of the given tags (so it exists in the registry's list).
/// Signature/attestation tags never get here: ``TagParser`` rejects them.
package struct CandidateSelector: Sendable {
    package init() {}

    /// The candidates, ascending, and how many tags each rule left out.
    package func select(current: ImageTag, from tags: some Sequence<ImageTag>) -> Selection {
        let rule = Rule(current: current)
        var selection = Selection()
        for tag in tags { selection.add(tag, by: rule) }
        selection.candidates.sort()
        return selection
    }

    /// The selection rules for one current tag, applied tag by tag.
    struct Rule {
        let current: ImageTag
        let shape: ImageTag.Shape
        let allowPreRelease: Bool

        init(current: ImageTag) {
            self.current = current
            shape = current.shape
            allowPreRelease = current.isPreRelease
        }
    }

    /// The result of ``select(current:from:)``.
    package struct Selection: Sendable, Equatable {
        /// Newer tags of the same shape, ascending (ties between equal versions broken by tag string).
        package var candidates: [ImageTag] = []
        /// Tags with another prefix, suffix or component count.
        package var otherShape = 0
        /// Pre-releases left out because the current tag is not one.
        package var preReleases = 0
        /// Tags of the same shape that are older than or equal to the current version.
        package var notNewer = 0

        /// Counts `tag` or keeps it as a candidate (unsorted).
        mutating func add(_ tag: ImageTag, by rule: Rule) {
            if tag.prefix != rule.shape.prefix || tag.suffix != rule.shape.suffix
                || tag.version.componentCount != rule.shape.componentCount
            {
                otherShape += 1
            } else if tag.isPreRelease, !rule.allowPreRelease {
                preReleases += 1
            } else if tag.version > rule.current.version {
                candidates.append(tag)
            } else {
                notNewer += 1
            }
        }
    }
}
