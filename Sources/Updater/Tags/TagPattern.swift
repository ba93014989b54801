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
///
/// A pattern within the usual subset of the syntax runs as a `TagPatternProgram` on the tag's
/// bytes, with the same result as `Regex` and a fraction of its cost; other patterns run as `Regex`.
package struct TagPattern: @unchecked Sendable, CustomStringConvertible {
    // @unchecked: Regex<AnyRegexOutput> is not Sendable only because AnyRegexOutput is not; the regex
    // is immutable once built (the stdlib lowers its program once, atomically) and only matched here.

    /// The pattern as the user wrote it.
    package let source: String
    private let regex: Regex<AnyRegexOutput>
    private let hasPrefix: Bool
    private let hasSuffix: Bool
    private let hasPreRelease: Bool
    /// The same pattern as a byte program, when it stays within ``TagPatternProgram``'s subset.
    private let program: CompiledProgram?

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
        // Only a program that captures the same named groups stands in for the regex.
        program = TagPatternProgram(source).flatMap { program in
            let names = ["version", "prefix", "suffix", "prerelease"]
            guard names.allSatisfy({ (program.groups[$0] != nil) == regex.contains(captureNamed: $0) }),
                let version = program.groups["version"]
            else { return nil }
            return CompiledProgram(
                program: program, version: version, prefix: program.groups["prefix"],
                suffix: program.groups["suffix"], preRelease: program.groups["prerelease"])
        }
    }

    package var description: String { source }

    /// Whether the pattern runs as a byte program rather than through Swift `Regex` (for tests and
    /// benchmarks; the result is the same either way).
    package var isCompiledToProgram: Bool { program != nil }

    /// The parts of a tag the pattern matches, or nil when it does not match the whole tag or the
    /// `version` group did not participate.
    package func match(_ tag: String) -> Parts? {
        if let program, let parts = match(tag, with: program, knownValid: false) { return parts }
        return regexMatch(tag)
    }

    /// ``match(_:)`` for a tag ``ImageReference/isValidTag(_:)`` already accepted (``TagParser``
    /// checks every tag first), without checking it again.
    func match(validTag tag: String) -> Parts? {
        if let program, let parts = match(tag, with: program, knownValid: true) { return parts }
        return regexMatch(tag)
    }

    /// ``match(_:)`` by Swift `Regex` alone: the reference the byte program is checked against.
    package func regexMatch(_ tag: String) -> Parts? {
        guard let match = try? regex.wholeMatch(in: tag), let version = match["version"]?.range else { return nil }
        let preRelease = hasPreRelease ? match["prerelease"]?.range : nil
        let prefix = hasPrefix ? match["prefix"]?.substring.map(String.init) : nil
        let suffix = hasSuffix ? match["suffix"]?.substring.map(String.init) : nil
        return Self.parts(of: tag, version: version, preRelease: preRelease, prefix: prefix, suffix: suffix)
    }

    /// The program's answer: `.some(parts)` or `.some(nil)`, or nil when the program cannot answer
    /// (not a valid tag, or a search too long) and `Regex` must.
    private func match(_ tag: String, with compiled: CompiledProgram, knownValid: Bool) -> Parts?? {
        var bytes = tag
        return bytes.withUTF8 { (buffer) -> Parts?? in
            guard knownValid || ImageReference.isValidTag(utf8: buffer) else { return nil }
            let outcome = compiled.program.wholeMatch(buffer) { slots -> Parts? in
                func range(_ group: Int?) -> Range<String.Index>? {
                    guard let group else { return nil }
                    let (start, end) = (slots[2 * group], slots[2 * group + 1])
                    guard start >= 0, end >= start else { return nil }
                    let utf8 = tag.utf8
                    return utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end)
                }
                guard let version = range(compiled.version) else { return nil }
                return Self.parts(
                    of: tag, version: version, preRelease: range(compiled.preRelease),
                    prefix: range(compiled.prefix).map { String(tag[$0]) },
                    suffix: range(compiled.suffix).map { String(tag[$0]) })
            }
            switch outcome {
            case .match(let parts): return .some(parts)
            case .noMatch: return .some(nil)
            case .tooExpensive: return nil
            }
        }
    }

    private static func parts(
        of tag: String, version: Range<String.Index>, preRelease: Range<String.Index>?, prefix: String?, suffix: String?
    ) -> Parts {
        var versionEnd = version.upperBound
        if let preRelease, preRelease.upperBound > versionEnd { versionEnd = preRelease.upperBound }
        return Parts(
            prefix: prefix ?? String(tag[..<version.lowerBound]),
            version: tag[version],
            preRelease: preRelease.map { tag[$0] },
            suffix: suffix ?? String(tag[versionEnd...])
        )
    }

    /// A program and the groups ``match(_:)`` reads.
    private struct CompiledProgram {
        let program: TagPatternProgram
        let version: Int
        let prefix: Int?
        let suffix: Int?
        let preRelease: Int?
    }

    /// What a match yields.
    package struct Parts: Sendable, Equatable {
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
