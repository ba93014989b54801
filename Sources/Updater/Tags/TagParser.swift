/// Reads registry tags as ``ImageTag``s for one flavour and an optional ``TagPattern``.
///
/// Without a pattern the version is found by the flavour's default shape:
/// - `docker`: the first run of dotted numbers, `\d+(\.\d+)*` (`v1.2.3`, `1.25.3-alpine3.19`,
///   `alpine3.19`, `2024.05.01`, `r123`); a trailing dot stays in the suffix (`2.1.0.RELEASE`).
/// - `semver`: everything before the first digit is the prefix, the rest must be SemVer 2.0.0.
/// - `pep440`: the whole tag is a PEP 440 version; a leading `v` is kept as the prefix so that
///   `v`-tags only compete with `v`-tags.
///
/// Tags that are not valid tag strings, signature/attestation artefacts (`sha256-<hex>…`) and
/// tags without a version are rejected with a ``TagRejection`` saying which.
package struct TagParser: Sendable {
    package let flavor: VersionFlavor
    package let pattern: TagPattern?

    package init(flavor: VersionFlavor = .docker, pattern: TagPattern? = nil) {
        self.flavor = flavor
        self.pattern = pattern
    }

    /// Parses one tag.
    package func parse(_ raw: String) -> Result<ImageTag, TagRejection> {
        guard ImageReference.isValidTag(raw) else { return .failure(.invalidTagSyntax) }
        if Self.isSignatureArtifact(raw) { return .failure(.signatureArtifact) }
        if let pattern { return parse(raw, with: pattern) }
        guard let firstDigit = raw.utf8.firstIndex(where: ByteScanner.isDigit) else { return .failure(.noVersion) }
        let prefix = String(raw[..<firstDigit])
        switch flavor {
        case .docker:
            return Self.parseDockerDefault(raw, firstDigit: firstDigit, prefix: prefix)
        case .semver:
            do {
                let version = try SemanticVersion(parsing: raw[firstDigit...])
                return .success(ImageTag(raw: raw, prefix: prefix, suffix: "", version: .semantic(version)))
            } catch {
                return .failure(.invalidVersion(error))
            }
        case .pep440:
            do {
                let version = try PEP440Version(parsing: raw)
                let vPrefix = raw.utf8.first.map { $0 | 0x20 == UInt8(ascii: "v") } == true ? String(raw.prefix(1)) : ""
                return .success(ImageTag(raw: raw, prefix: vPrefix, suffix: "", version: .pep440(version)))
            } catch {
                return .failure(.invalidVersion(error))
            }
        }
    }

    /// Parses many tags, keeping the ones it understands and the reasons for the others.
    package func parseAll(_ raws: some Sequence<String>) -> (
        tags: [ImageTag], rejected: [(tag: String, reason: TagRejection)]
    ) {
        var tags: [ImageTag] = []
        var rejected: [(tag: String, reason: TagRejection)] = []
        for raw in raws {
            switch parse(raw) {
            case .success(let tag): tags.append(tag)
            case .failure(let reason): rejected.append((raw, reason))
            }
        }
        return (tags, rejected)
    }

    /// `sha256-<hex>[.sig|.att|.sbom|…]`: cosign signatures, attestations, SBOMs and the OCI
    /// referrers fallback tags.
    package static func isSignatureArtifact(_ raw: String) -> Bool {
        raw.utf8.withContiguousStorageIfAvailable { isSignatureArtifact(utf8: $0) }
            ?? isSignatureArtifact(utf8: raw.utf8)
    }

    /// ``isSignatureArtifact(_:)`` over UTF-8 bytes.
    package static func isSignatureArtifact(utf8 bytes: some Collection<UInt8>) -> Bool {
        guard bytes.count >= 7 + 32 else { return false }
        let algorithm = bytes.prefix(7)
        guard algorithm.elementsEqual("sha256-".utf8) || algorithm.elementsEqual("sha512-".utf8) else { return false }
        let hex = bytes.dropFirst(7).prefix { $0 != UInt8(ascii: ".") }
        return hex.count >= 32 && hex.allSatisfy { ByteScanner.isDigit($0) || ($0 | 0x20) &- 0x61 < 6 }
    }

    private static func parseDockerDefault(_ raw: String, firstDigit: String.Index, prefix: String) -> Result<
        ImageTag, TagRejection
    > {
        var components: [UInt64] = []
        components.reserveCapacity(4)
        let utf8 = raw.utf8
        var index = firstDigit
        var end = firstDigit
        while true {
            var value: UInt64 = 0
            var digits = 0
            while index < utf8.endIndex, ByteScanner.isDigit(utf8[index]) {
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(UInt64(utf8[index] &- 0x30))
                if overflow1 || overflow2 { return .failure(.invalidVersion(.numberTooLarge(in: raw))) }
                value = sum
                digits += 1
                index = utf8.index(after: index)
            }
            guard digits > 0 else { break }
            components.append(value)
            end = index
            guard index < utf8.endIndex, utf8[index] == UInt8(ascii: ".") else { break }
            index = utf8.index(after: index)
        }
        let version = NumericVersion(components: components)
        return .success(ImageTag(raw: raw, prefix: prefix, suffix: String(raw[end...]), version: .numeric(version)))
    }

    /// ``parse(_:)`` for a decision whose current tag has `shape`: `.success(nil)` for a tag
    /// ``parse(_:)`` accepts whose prefix or suffix differs from `shape`'s (``CandidateSelector``
    /// only counts it as another shape), read without building its version where that is cheap to
    /// tell: a `tagPattern` with the docker flavour and no pre-release text. Every other tag gets
    /// exactly ``parse(_:)``'s result.
    func parse(_ raw: String, unlessOtherThan shape: ImageTag.Shape) -> Result<ImageTag?, TagRejection> {
        guard let pattern, flavor == .docker else { return parse(raw).map { $0 } }
        guard ImageReference.isValidTag(raw) else { return .failure(.invalidTagSyntax) }
        if Self.isSignatureArtifact(raw) { return .failure(.signatureArtifact) }
        guard let parts = pattern.match(validTag: raw) else { return .failure(.patternMismatch) }
        if parts.prefix != shape.prefix || parts.suffix != shape.suffix, parts.preRelease?.isEmpty ?? true,
            Self.isNumericVersion(parts.version)
        {
            return .success(nil)
        }
        return parse(raw, parts: parts).map { $0 }
    }

    /// Whether ``NumericVersion/init(parsing:)`` accepts `text` (without building the version).
    private static func isNumericVersion(_ text: Substring) -> Bool {
        (try? NumericVersion.readComponents(text) { _ in }) != nil
    }

    private func parse(_ raw: String, with pattern: TagPattern) -> Result<ImageTag, TagRejection> {
        guard let parts = pattern.match(validTag: raw) else { return .failure(.patternMismatch) }
        return parse(raw, parts: parts)
    }

    private func parse(_ raw: String, parts: TagPattern.Parts) -> Result<ImageTag, TagRejection> {
        do {
            var version = try Version(parsing: parts.version, flavor: flavor)
            if case .numeric(let numeric) = version, let preText = parts.preRelease, !preText.isEmpty {
                guard let identifiers = PreReleaseIdentifier.parseList(preText, strict: false) else {
                    return .failure(.invalidVersion(.expected("pre-release identifiers", at: 0, in: String(preText))))
                }
                version = .numeric(NumericVersion(components: numeric.components, preRelease: identifiers))
            }
            return .success(ImageTag(raw: raw, prefix: parts.prefix, suffix: parts.suffix, version: version))
        } catch {
            return .failure(.invalidVersion(error))
        }
    }
}
