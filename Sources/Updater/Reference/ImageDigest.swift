/// A content digest such as `sha256:0123…` (OCI image spec, "Digests").
///
/// Only the registered algorithms are accepted, each with its exact hex length in lowercase:
/// sha256 (64), sha384 (96), sha512 (128). Equality is exact string equality, which is what
/// registries and the kubelet's `imageID` use.
package struct ImageDigest: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The algorithm, e.g. `sha256`.
    package let algorithm: String
    /// The lowercase hexadecimal encoding.
    package let hex: String

    /// Parses `algorithm:hex`.
    /// - Throws: ``ImageReferenceError/invalidDigest(_:)`` or
    ///   ``ImageReferenceError/unsupportedDigestAlgorithm(_:)``.
    package init(parsing text: some StringProtocol) throws(ImageReferenceError) {
        let text = String(text)
        guard let colon = text.firstIndex(of: ":") else { throw .invalidDigest(text) }
        let algorithm = String(text[..<colon])
        let hex = String(text[text.index(after: colon)...])
        guard Self.isWellFormedAlgorithm(algorithm) else { throw .invalidDigest(text) }
        guard let length = Self.hexLength[algorithm] else { throw .unsupportedDigestAlgorithm(algorithm) }
        guard hex.utf8.count == length,
            hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { throw .invalidDigest(text) }
        self.algorithm = algorithm
        self.hex = hex
    }

    /// Extracts the digest from a pod's `status.containerStatuses[].imageID`, which runtimes write
    /// as `docker-pullable://nginx@sha256:…`, `docker.io/library/nginx@sha256:…` or bare
    /// `sha256:…`. Returns nil when there is no digest in it.
    package init?(imageID: String) {
        let candidate: Substring
        if let at = imageID.lastIndex(of: "@") {
            candidate = imageID[imageID.index(after: at)...]
        } else {
            candidate = imageID[...]
        }
        guard let digest = try? ImageDigest(parsing: candidate) else { return nil }
        self = digest
    }

    package var description: String { "\(algorithm):\(hex)" }

    package static func < (lhs: ImageDigest, rhs: ImageDigest) -> Bool { lhs.description < rhs.description }

    private static let hexLength: [String: Int] = ["sha256": 64, "sha384": 96, "sha512": 128]

    /// `[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*` from distribution/reference.
    private static func isWellFormedAlgorithm(_ algorithm: String) -> Bool {
        var expectLetter = true
        for byte in algorithm.utf8 {
            let isLetter = (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            let isDigit = (0x30...0x39).contains(byte)
            let isSeparator =
                byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: ".")
            if expectLetter {
                guard isLetter else { return false }
                expectLetter = false
            } else if isSeparator {
                expectLetter = true
            } else if !(isLetter || isDigit) {
                return false
            }
        }
        return !expectLetter
    }
}
