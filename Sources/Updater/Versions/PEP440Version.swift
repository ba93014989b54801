/// A Python PEP 440 version: `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`, with every spelling
/// PEP 440 accepts (leading `v`, surrounding whitespace, `alpha`/`beta`/`c`/`pre`/`preview`, `-N`
/// post releases, `rev`/`r`, optional separators `-`, `_`, `.`, implicit numbers, any case).
///
/// Ordering and equality follow PEP 440 (and Python's `packaging`): trailing zeros of the release
/// are insignificant (`1.0 == 1.0.0`); `1.0.dev0 < 1.0a1 < 1.0b1 < 1.0rc1 < 1.0 < 1.0.post1`;
/// local versions sort after their public version, numeric local parts above alphabetic ones.
/// The normalised form (``description``) is for display and comparison only: tags are always
/// written back as the registry spells them.
package struct PEP440Version: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Pre-release phase, in precedence order.
    package enum Phase: Int, Comparable, Sendable {
        case alpha = 0
        case beta = 1
        case releaseCandidate = 2

        package static func < (lhs: Phase, rhs: Phase) -> Bool { lhs.rawValue < rhs.rawValue }

        var label: String {
            switch self {
            case .alpha: "a"
            case .beta: "b"
            case .releaseCandidate: "rc"
            }
        }
    }

    /// One dot/dash/underscore-separated part of a local version label (lowercased).
    package enum LocalPart: Hashable, Comparable, Sendable, CustomStringConvertible {
        case number(UInt64)
        case text(String)

        package static func < (lhs: LocalPart, rhs: LocalPart) -> Bool {
            switch (lhs, rhs) {
            case (.number(let a), .number(let b)): a < b
            case (.text, .number): true
            case (.number, .text): false
            case (.text(let a), .text(let b)): a.utf8.lexicographicallyPrecedes(b.utf8)
            }
        }

        package var description: String {
            switch self {
            case .number(let value): String(value)
            case .text(let text): text
            }
        }
    }

    package let epoch: UInt64
    /// The release segment as written (trailing zeros kept, for component counts and display).
    package let release: [UInt64]
    package let pre: (phase: Phase, number: UInt64)?
    package let post: UInt64?
    package let dev: UInt64?
    package let local: [LocalPart]

    package init(
        epoch: UInt64 = 0, release: [UInt64], pre: (phase: Phase, number: UInt64)? = nil, post: UInt64? = nil,
        dev: UInt64? = nil, local: [LocalPart] = []
    ) {
        precondition(!release.isEmpty, "a PEP 440 version has a release segment")
        self.epoch = epoch
        self.release = release
        self.pre = pre
        self.post = post
        self.dev = dev
        self.local = local
    }

    /// Whether this is a pre-release in PEP 440's sense (a pre-release or a developmental release).
    package var isPreRelease: Bool { pre != nil || dev != nil }

    /// The release without trailing zeros: what ordering and equality use.
    private var significantRelease: ArraySlice<UInt64> {
        var end = release.count
        while end > 1, release[end - 1] == 0 { end -= 1 }
        return release[..<end]
    }

    /// The canonical form, as `str(packaging.version.Version(...))` prints it.
    package var description: String {
        var text = epoch == 0 ? "" : "\(epoch)!"
        text += release.map(String.init).joined(separator: ".")
        if let pre { text += "\(pre.phase.label)\(pre.number)" }
        if let post { text += ".post\(post)" }
        if let dev { text += ".dev\(dev)" }
        if !local.isEmpty { text += "+" + local.map(\.description).joined(separator: ".") }
        return text
    }

    package static func == (lhs: PEP440Version, rhs: PEP440Version) -> Bool {
        lhs.epoch == rhs.epoch && lhs.significantRelease == rhs.significantRelease && lhs.pre?.phase == rhs.pre?.phase
            && lhs.pre?.number == rhs.pre?.number && lhs.post == rhs.post && lhs.dev == rhs.dev
            && lhs.local == rhs.local
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(epoch)
        hasher.combine(Array(significantRelease))
        hasher.combine(pre?.phase)
        hasher.combine(pre?.number)
        hasher.combine(post)
        hasher.combine(dev)
        hasher.combine(local)
    }

    package static func < (lhs: PEP440Version, rhs: PEP440Version) -> Bool {
        if lhs.epoch != rhs.epoch { return lhs.epoch < rhs.epoch }
        let (a, b) = (lhs.significantRelease, rhs.significantRelease)
        if a != b { return a.lexicographicallyPrecedes(b) }
        let (preA, preB) = (lhs.preKey, rhs.preKey)
        if preA != preB { return preA < preB }
        // No post release sorts before any post release.
        let (postA, postB) = (lhs.post.map { Int128($0) } ?? -1, rhs.post.map { Int128($0) } ?? -1)
        if postA != postB { return postA < postB }
        // No dev release sorts after any dev release.
        let (devA, devB) = (
            lhs.dev.map { Int128($0) } ?? Int128(UInt64.max) + 1, rhs.dev.map { Int128($0) } ?? Int128(UInt64.max) + 1
        )
        if devA != devB { return devA < devB }
        // No local version sorts before any local version; parts compare one by one, shorter first.
        return lhs.local.lexicographicallyPrecedes(rhs.local)
    }

    /// packaging's `_pre` key: a dev-only release sorts before every pre-release of the same
    /// release, a final release after all of them.
    private var preKey: PreKey {
        if let pre { return .pre(pre.phase, pre.number) }
        if post == nil, dev != nil { return .beforeAll }
        return .final
    }

    private enum PreKey: Comparable {
        case beforeAll
        case pre(Phase, UInt64)
        case final
    }
}
