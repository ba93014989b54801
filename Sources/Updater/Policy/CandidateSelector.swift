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
    package func select(current: Tag, from tags: some Sequence<Tag>) -> Selection {
        let shape = current.shape
        let allowPreRelease = current.isPreRelease
        var selection = Selection()
        for tag in tags {
            if tag.prefix != shape.prefix || tag.suffix != shape.suffix
                || tag.version.components.count != shape.componentCount
            {
                selection.otherShape += 1
            } else if tag.isPreRelease, !allowPreRelease {
                selection.preReleases += 1
            } else if tag.version > current.version {
                selection.candidates.append(tag)
            } else {
                selection.notNewer += 1
            }
        }
        selection.candidates.sort()
        return selection
    }

    /// The result of ``select(current:from:)``.
    package struct Selection: Sendable, Equatable {
        /// Newer tags of the same shape, ascending (ties between equal versions broken by tag string).
        package var candidates: [Tag] = []
        /// Tags with another prefix, suffix or component count.
        package var otherShape = 0
        /// Pre-releases left out because the current tag is not one.
        package var preReleases = 0
        /// Tags of the same shape that are older than or equal to the current version.
        package var notNewer = 0
    }
}
