/// A registry tag read as `prefix + version + suffix`, e.g. `v` + `1.2.3` + `` or
/// `` + `1.25.3` + `-alpine3.19`.
///
/// ``raw`` is the registry's own string and the only thing ever written back. Ordering is by
/// ``version`` and then by ``raw``, so it is a total order in which two tags are equal exactly
/// when their strings are (`v1.2.0` and `1.2.0` are equal PEP 440 versions but different tags).
package struct ImageTag: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The tag exactly as the registry lists it.
    package let raw: String
    /// Text before the version (`v`, `alpine`, `release-`); empty when none.
    package let prefix: String
    /// Text after the version (`-alpine`, `-slim-bookworm`); empty when none.
    package let suffix: String
    /// The parsed version.
    package let version: Version

    package init(raw: String, prefix: String, suffix: String, version: Version) {
        self.raw = raw
        self.prefix = prefix
        self.suffix = suffix
        self.version = version
    }

    /// What a candidate must share with the current tag: prefix, suffix and number of components
    /// (so `1.25` moves to `1.26` and `1.25.3-alpine` to `1.25.4-alpine`, never across shapes).
    package var shape: Shape { Shape(prefix: prefix, suffix: suffix, componentCount: version.componentCount) }

    /// Whether the tag is a pre-release in its flavour's sense.
    package var isPreRelease: Bool { version.isPreRelease }

    package var description: String { raw }

    package static func == (lhs: ImageTag, rhs: ImageTag) -> Bool { lhs.raw == rhs.raw }

    package func hash(into hasher: inout Hasher) { hasher.combine(raw) }

    package static func < (lhs: ImageTag, rhs: ImageTag) -> Bool {
        if lhs.version != rhs.version { return lhs.version < rhs.version }
        return lhs.raw.utf8.lexicographicallyPrecedes(rhs.raw.utf8)
    }

    /// The part of a tag that must match for it to compete with another.
    package struct Shape: Hashable, Sendable, CustomStringConvertible {
        package let prefix: String
        package let suffix: String
        package let componentCount: Int

        package var description: String {
            let version = Array(repeating: "N", count: componentCount).joined(separator: ".")
            return "\(prefix)\(version)\(suffix)"
        }
    }
}
