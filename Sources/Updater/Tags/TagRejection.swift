/// Why a tag is not a version the policy can order. Not an error of the registry: most
/// repositories contain such tags (`latest`, `stable`, signatures), and they are simply skipped.
package enum TagRejection: Error, Equatable, Sendable, CustomStringConvertible {
    /// The string is not a valid tag (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`).
    case invalidTagSyntax
    /// A cosign/OCI artefact tag (`sha256-<hex>`, `.sig`, `.att`, `.sbom`): not an image to run.
    case signatureArtifact
    /// No version in it (`latest`, `stable`, `mainline-alpine`): a floating tag, decided by digest.
    case noVersion
    /// The per-object `tagPattern` does not match the whole tag.
    case patternMismatch
    /// The version part is not valid in the chosen flavour.
    case invalidVersion(VersionSyntaxError)

    /// A stable machine-readable name, used in `--json` output.
    package var code: String {
        switch self {
        case .invalidTagSyntax: "invalidTagSyntax"
        case .signatureArtifact: "signatureArtifact"
        case .noVersion: "noVersion"
        case .patternMismatch: "patternMismatch"
        case .invalidVersion: "invalidVersion"
        }
    }

    package var description: String {
        switch self {
        case .invalidTagSyntax: "not a valid tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})"
        case .signatureArtifact: "signature/attestation artefact tag (sha256-….sig/.att/.sbom)"
        case .noVersion: "no version in the tag (a floating tag such as latest)"
        case .patternMismatch: "does not match the tag pattern"
        case .invalidVersion(let error): "invalid version: \(error)"
        }
    }
}
