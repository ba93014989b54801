/// Which ordering reads the version part of a tag.
///
/// - `docker`: dotted numbers of any length (`1.25.3`, `2024.05.01`, `5.3.2.0`), compared numerically
///   component by component; a shorter version that is a prefix of a longer one sorts first.
/// - `semver`: Semantic Versioning 2.0.0 (`1.2.3-rc.1+build`), with pre-release precedence.
/// - `pep440`: Python's PEP 440 in full (epochs, pre/post/dev releases, local versions).
package enum VersionFlavor: String, CaseIterable, Sendable, Codable {
    case docker
    case semver
    case pep440
}
