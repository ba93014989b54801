/// A parsed version of one of the three flavours.
///
/// Within a flavour the ordering is that flavour's total order and `==` agrees with it. Versions of
/// different flavours never meet in one decision; for totality they order by flavour
/// (docker < semver < pep440).
package enum Version: Hashable, Comparable, Sendable, CustomStringConvertible {
    case numeric(NumericVersion)
    case semantic(SemanticVersion)
    case pep440(PEP440Version)

    /// Parses exactly `text` (no prefix, no suffix) as `flavor`.
    package init(parsing text: some StringProtocol, flavor: VersionFlavor) throws(VersionSyntaxError) {
        switch flavor {
        case .docker: self = .numeric(try NumericVersion(parsing: text))
        case .semver: self = .semantic(try SemanticVersion(parsing: text))
        case .pep440: self = .pep440(try PEP440Version(parsing: text))
        }
    }

    package var flavor: VersionFlavor {
        switch self {
        case .numeric: .docker
        case .semantic: .semver
        case .pep440: .pep440
        }
    }

    /// The numeric release components the frontier counts (`[1, 25, 3]` for `1.25.3`, `[1, 2, 3]`
    /// for `1.2.3-rc.1`, PEP 440's release segment as written).
    package var components: [UInt64] {
        switch self {
        case .numeric(let version): version.components
        case .semantic(let version): version.components
        case .pep440(let version): version.release
        }
    }

    /// `components.count`, without building the array.
    package var componentCount: Int {
        switch self {
        case .numeric(let version): version.components.count
        case .semantic: 3
        case .pep440(let version): version.release.count
        }
    }

    /// `components[index]`, without building the array; `index` is below ``componentCount``.
    package func component(at index: Int) -> UInt64 {
        switch self {
        case .numeric(let version): version.components[index]
        case .semantic(let version):
            switch index {
            case 0: version.major
            case 1: version.minor
            case 2: version.patch
            default: preconditionFailure("a semantic version has 3 components, not \(index + 1)")
            }
        case .pep440(let version): version.release[index]
        }
    }

    /// Whether this is a pre-release in its flavour's sense.
    package var isPreRelease: Bool {
        switch self {
        case .numeric(let version): version.isPreRelease
        case .semantic(let version): version.isPreRelease
        case .pep440(let version): version.isPreRelease
        }
    }

    package var description: String {
        switch self {
        case .numeric(let version): version.description
        case .semantic(let version): version.description
        case .pep440(let version): version.description
        }
    }

    package static func < (lhs: Version, rhs: Version) -> Bool {
        switch (lhs, rhs) {
        case (.numeric(let a), .numeric(let b)): a < b
        case (.semantic(let a), .semantic(let b)): a < b
        case (.pep440(let a), .pep440(let b)): a < b
        default: lhs.flavorRank < rhs.flavorRank
        }
    }

    private var flavorRank: Int {
        switch self {
        case .numeric: 0
        case .semantic: 1
        case .pep440: 2
        }
    }
}
