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
        let text = Substring(text)
        var scanner = ByteScanner(text)
        var numbers: [UInt64] = []
        for index in 0..<3 {
            if index > 0, !scanner.consume(UInt8(ascii: ".")) {
                throw .expected("'.'", at: scanner.position, in: String(text))
            }
            let start = scanner.position
            guard let number = try scanner.readNumber() else {
                throw .expected("a number", at: scanner.position, in: String(text))
            }
            if scanner.position - start > 1, scanner.bytes[start] == UInt8(ascii: "0") {
                throw .leadingZero(in: String(text))
            }
            numbers.append(number)
        }
        var preRelease: [PreReleaseIdentifier] = []
        var build: [String] = []
        let rest = text.utf8.dropFirst(scanner.position)
        if !rest.isEmpty {
            let restText = Substring(rest)
            var preText: Substring = ""
            var buildText: Substring?
            if let plus = restText.firstIndex(of: "+") {
                preText = restText[..<plus]
                buildText = restText[restText.index(after: plus)...]
            } else {
                preText = restText
            }
            if !preText.isEmpty {
                guard preText.first == "-" else { throw .unexpected(at: scanner.position, in: String(text)) }
                guard let identifiers = PreReleaseIdentifier.parseList(preText.dropFirst(), strict: true) else {
                    throw .expected(
                        "pre-release identifiers [0-9A-Za-z-]+ without leading zeros", at: scanner.position + 1,
                        in: String(text))
                }
                preRelease = identifiers
            }
            if let buildText {
                let parts = buildText.split(separator: ".", omittingEmptySubsequences: false)
                guard
                    parts.allSatisfy({ part in
                        !part.isEmpty
                            && part.utf8.allSatisfy { ByteScanner.isAlphaNumeric($0) || $0 == UInt8(ascii: "-") }
                    })
                else {
                    throw .expected(
                        "build identifiers [0-9A-Za-z-]+", at: text.utf8.count - buildText.utf8.count,
                        in: String(text))
                }
                build = parts.map(String.init)
            }
        }
        self.init(major: numbers[0], minor: numbers[1], patch: numbers[2], preRelease: preRelease, build: build)
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
