/// A per-object `tagPattern`: a regular expression (Swift `Regex` syntax, which accepts the usual
/// PCRE/ICU forms) that must match the **whole** tag and has a named group `version`.
///
/// Optional named groups override the default shape:
/// - `prefix`: the prefix (default: the text before `version`);
/// - `suffix`: the suffix (default: the text after `version`, or after `prerelease` when that
///   group matched after it);
/// - `prerelease`: for the docker flavour, marks the tag as a pre-release of the same numbers
///   (identifiers compared by SemVer rules). Other flavours read pre-releases from the version.
///
/// Example: `^release-(?<version>\d+\.\d+)(?:-(?<prerelease>rc\d+))?$`.
package struct TagPattern: @unchecked Sendable, CustomStringConvertible {
    // Regex<AnyRegexOutput> is immutable after compilation; it is only read here.

    /// The pattern as the user wrote it.
    package let source: String
    private let regex: Regex<AnyRegexOutput>
    private let hasPrefix: Bool
    private let hasSuffix: Bool
    private let hasPreRelease: Bool

    /// Compiles the pattern.
    /// - Throws: ``TagPatternError`` when it does not compile or has no `version` group.
    package init(_ source: String) throws(TagPatternError) {
        let regex: Regex<AnyRegexOutput>
        do {
            regex = try Regex(source)
        } catch {
            throw .invalidSyntax(pattern: source, message: String(describing: error))
        }
        guard regex.contains(captureNamed: "version") else { throw .missingVersionGroup(pattern: source) }
        self.source = source
        self.regex = regex
        self.hasPrefix = regex.contains(captureNamed: "prefix")
        self.hasSuffix = regex.contains(captureNamed: "suffix")
        self.hasPreRelease = regex.contains(captureNamed: "prerelease")
    }

    package var description: String { source }

    /// The parts of a tag the pattern matches, or nil when it does not match the whole tag or the
    /// `version` group did not participate.
    package func match(_ tag: String) -> Parts? {
        guard let match = try? regex.wholeMatch(in: tag), let version = match["version"]?.range else { return nil }
        let preRelease = hasPreRelease ? match["prerelease"]?.range : nil
        let prefix = hasPrefix ? match["prefix"]?.substring.map(String.init) : nil
        let suffix = hasSuffix ? match["suffix"]?.substring.map(String.init) : nil
        var versionEnd = version.upperBound
        if let preRelease, preRelease.upperBound > versionEnd { versionEnd = preRelease.upperBound }
        return Parts(
            prefix: prefix ?? String(tag[..<version.lowerBound]),
            version: tag[version],
            preRelease: preRelease.map { tag[$0] },
            suffix: suffix ?? String(tag[versionEnd...])
        )
    }

    /// What a match yields.
    package struct Parts: Sendable {
        package var prefix: String
        package var version: Substring
        package var preRelease: Substring?
        package var suffix: String
    }
}

/// A `tagPattern` that cannot be used.
package enum TagPatternError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidSyntax(pattern: String, message: String)
    case missingVersionGroup(pattern: String)

    /// Always `false`: the pattern is the user's configuration.
    package var isRetryable: Bool { false }

    package var description: String {
        switch self {
        case .invalidSyntax(let pattern, let message):
            "tagPattern \"\(pattern)\" is not a valid regular expression: \(message)"
        case .missingVersionGroup(let pattern): "tagPattern \"\(pattern)\" has no named group (?<version>…)"
        }
    }
}
