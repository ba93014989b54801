/// Why an image reference was rejected.
///
/// Every case names the offending part so that a user reading a status message or the CLI's stderr
/// can fix the reference. An invalid reference never becomes valid by retrying, so ``isRetryable``
/// is always `false`.
package enum ImageReferenceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The reference is the empty string.
    case empty
    /// The normalised name (`registry/path`) is longer than Docker's limit of 255 characters.
    case nameTooLong(length: Int)
    /// The registry part (`host[:port]`) does not follow the host grammar.
    case invalidRegistry(String)
    /// A path component is empty or breaks the `[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*` grammar.
    case invalidPathComponent(String)
    /// The repository path contains upper-case letters (registry hosts may, paths may not).
    case uppercaseRepository(String)
    /// The tag breaks `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
    case invalidTag(String)
    /// The digest is not `algorithm:hex`, or its hex part has the wrong length or case.
    case invalidDigest(String)
    /// The digest algorithm is well-formed but not one of sha256, sha384, sha512.
    case unsupportedDigestAlgorithm(String)
    /// The whole reference is 64 hexadecimal characters: an image ID, not a repository name.
    case looksLikeImageID(String)

    /// Always `false`: the same input is rejected the same way every time.
    package var isRetryable: Bool { false }

    package var description: String {
        switch self {
        case .empty:
            "invalid image reference: empty"
        case .nameTooLong(let length):
            "invalid image reference: repository name is \(length) characters long (at most 255)"
        case .invalidRegistry(let registry):
            "invalid image reference: registry \"\(registry)\" is not a host name, IPv4 or [IPv6] address with optional :port"
        case .invalidPathComponent(let component):
            "invalid image reference: path component \"\(component)\" must be lowercase letters and digits "
                + "separated by '.', '_', '__' or '-'"
        case .uppercaseRepository(let path):
            "invalid image reference: repository name \"\(path)\" must be lowercase"
        case .invalidTag(let tag):
            "invalid image reference: tag \"\(tag)\" must be 1-128 characters of [A-Za-z0-9_.-], not starting with '.' or '-'"
        case .invalidDigest(let digest):
            "invalid image reference: digest \"\(digest)\" is not algorithm:hex with the algorithm's length in lowercase hex"
        case .unsupportedDigestAlgorithm(let algorithm):
            "invalid image reference: digest algorithm \"\(algorithm)\" is not supported (sha256, sha384, sha512)"
        case .looksLikeImageID(let value):
            "invalid image reference: \"\(value)\" is a 64-character hexadecimal image ID, not a repository name"
        }
    }
}
