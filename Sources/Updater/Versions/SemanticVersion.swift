/// A Semantic Versioning 2.0.0 version: `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`.
///
/// Precedence follows §11: numbers compare numerically, a pre-release sorts before its release,
/// pre-release identifiers compare one by one (numeric < alphanumeric, shorter first on a tie).
/// Build metadata is kept for display but ignored by precedence **and by equality**, so `==`
/// agrees with the ordering (`1.0.0+a == 1.0.0+b`). Numeric parts have no leading zeros.
package struct SemanticVersion: Hashable, Comparable, Sendable, CustomStringConvertible {
    package let major: UInt64
    package let minor: UInt64
    package let patch: UInt64
    package let preRelease: [PreReleaseIdentifier]
    package let build: [String]

    package init(
        major: UInt64, minor: UInt64, patch: UInt64, preRelease: [PreReleaseIdentifier] = [], build: [String] = []
    ) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.preRelease = preRelease
        self.build = build
    }

    /// Parses a SemVer 2.0.0 string exactly (no `v`, no surrounding text).
    /// - Throws: ``VersionSyntaxError`` naming the problem.
    package init(parsing text: some StringProtocol) throws(VersionSyntaxError) {
        self = try ByteScanner.scan(text) { (scanner) throws(VersionSyntaxError) in try Self.parse(&scanner) }
    }

    private static func parse(_ scanner: inout ByteScanner) throws(VersionSyntaxError) -> SemanticVersion {
        let major = try readCoreNumber(&scanner)
        guard scanner.consume(UInt8(ascii: ".")) else { throw .expected("'.'", at: scanner.position, in: scanner.text) }
        let minor = try readCoreNumber(&scanner)
        guard scanner.consume(UInt8(ascii: ".")) else { throw .expected("'.'", at: scanner.position, in: scanner.text) }
        let patch = try readCoreNumber(&scanner)
        var preRelease: [PreReleaseIdentifier] = []
        var build: [String] = []
        let bytes = scanner.bytes
        let restStart = scanner.position
        if restStart < bytes.count {
            let plus = bytes[restStart...].firstIndex(of: UInt8(ascii: "+"))
            let preEnd = plus ?? bytes.count
            if preEnd > restStart {
                guard bytes[restStart] == UInt8(ascii: "-") else { throw .unexpected(at: restStart, in: scanner.text) }
                guard
                    let identifiers = PreReleaseIdentifier.parseList(
                        utf8: bytes[(restStart + 1)..<preEnd], strict: true)
                else {
                    throw .expected(
                        "pre-release identifiers [0-9A-Za-z-]+ without leading zeros", at: restStart + 1,
                        in: scanner.text)
                }
                preRelease = identifiers
            }
            if let plus {
                let parts = bytes[(plus + 1)...].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
                guard
                    parts.allSatisfy({ part in
                        !part.isEmpty && part.allSatisfy { ByteScanner.isAlphaNumeric($0) || $0 == UInt8(ascii: "-") }
                    })
                else { throw .expected("build identifiers [0-9A-Za-z-]+", at: plus + 1, in: scanner.text) }
                build = parts.map { String(decoding: $0, as: UTF8.self) }
            }
        }
        return SemanticVersion(major: major, minor: minor, patch: patch, preRelease: preRelease, build: build)
    }

    /// A major, minor or patch number: digits without a leading zero.
    private static func readCoreNumber(_ scanner: inout ByteScanner) throws(VersionSyntaxError) -> UInt64 {
        let start = scanner.position
        guard let number = try scanner.readNumber() else {
            throw .expected("a number", at: scanner.position, in: scanner.text)
        }
        if scanner.position - start > 1, scanner.bytes[start] == UInt8(ascii: "0") {
            throw .leadingZero(in: scanner.text)
        }
        return number
    }

    /// `[major, minor, patch]`, for the frontier rule.
    package var components: [UInt64] { [major, minor, patch] }

    package var isPreRelease: Bool { !preRelease.isEmpty }

    package var description: String {
        var text = "\(major).\(minor).\(patch)"
        if !preRelease.isEmpty { text += "-" + preRelease.map(\.description).joined(separator: ".") }
        if !build.isEmpty { text += "+" + build.joined(separator: ".") }
        return text
    }

    package static func == (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        lhs.major == rhs.major && lhs.minor == rhs.minor && lhs.patch == rhs.patch && lhs.preRelease == rhs.preRelease
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(major)
        hasher.combine(minor)
        hasher.combine(patch)
        hasher.combine(preRelease)
    }

    package static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        if lhs.major != rhs.major { return lhs.major < rhs.major }
        if lhs.minor != rhs.minor { return lhs.minor < rhs.minor }
        if lhs.patch != rhs.patch { return lhs.patch < rhs.patch }
        return PreReleaseIdentifier.precedes(lhs.preRelease, rhs.preRelease)
    }
}
