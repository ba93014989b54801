/// A dotted numeric version of any length (`1`, `1.25`, `1.25.3`, `5.3.2.0`, `2024.05.01`).
///
/// Ordering: numeric, component by component (`1.9 < 1.10`); when one version is a prefix of the
/// other, the shorter sorts first (`1.25 < 1.25.0`), so two versions are equal exactly when their
/// components are. Leading zeros are insignificant (`2024.05.01 == 2024.5.1`); the tag string keeps them.
///
/// An optional pre-release (only from a `tagPattern` with a `prerelease` group) sorts before the
/// release with the same numbers and compares by SemVer identifier rules.
package struct NumericVersion: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The numeric components, most significant first; never empty.
    package let components: [UInt64]
    /// Pre-release identifiers; empty for a release.
    package let preRelease: [PreReleaseIdentifier]

    package init(components: [UInt64], preRelease: [PreReleaseIdentifier] = []) {
        precondition(!components.isEmpty, "a numeric version has at least one component")
        self.components = components
        self.preRelease = preRelease
    }

    /// Parses `digits(.digits)*` exactly (no prefix, no suffix).
    /// - Throws: ``VersionSyntaxError`` naming the problem.
    package init(parsing text: some StringProtocol) throws(VersionSyntaxError) {
        var components: [UInt64] = []
        components.reserveCapacity(4)
        try Self.readComponents(text) { components.append($0) }
        self.init(components: components)
    }

    /// Reads `text` as dotted numbers, handing each to `body` in order (``init(parsing:)`` without
    /// the array, for a caller that only asks whether the text is a version).
    static func readComponents(_ text: some StringProtocol, _ body: (UInt64) -> Void) throws(VersionSyntaxError) {
        try ByteScanner.scan(text) { (scanner) throws(VersionSyntaxError) in
            repeat {
                guard let number = try scanner.readNumber() else {
                    throw .expected("a number", at: scanner.position, in: scanner.text)
                }
                body(number)
            } while scanner.consume(UInt8(ascii: "."))
            guard scanner.isAtEnd else { throw .unexpected(at: scanner.position, in: scanner.text) }
        }
    }

    package var isPreRelease: Bool { !preRelease.isEmpty }

    package var description: String {
        let release = components.map(String.init).joined(separator: ".")
        return preRelease.isEmpty ? release : release + "-" + preRelease.map(\.description).joined(separator: ".")
    }

    package static func < (lhs: NumericVersion, rhs: NumericVersion) -> Bool {
        if lhs.components != rhs.components { return lhs.components.lexicographicallyPrecedes(rhs.components) }
        return PreReleaseIdentifier.precedes(lhs.preRelease, rhs.preRelease)
    }
}
