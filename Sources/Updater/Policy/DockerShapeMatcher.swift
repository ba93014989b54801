/// The default docker flavour's fast path: decides on the raw bytes, without allocating, whether a
/// tag has the current tag's shape (same prefix, a dotted number of the same component count, same
/// suffix), and reads its components only then.
///
/// It agrees exactly with ``TagParser`` + ``CandidateSelector`` for the default docker shape: the
/// current prefix has no digits (it is the text before the first digit), so a tag of that shape
/// has its first run of dotted numbers right after the prefix; and the current suffix does not
/// continue a dotted number (else it would be part of the current version). A property test checks
/// the agreement on random lists.
struct DockerShapeMatcher {
    private let prefix: [UInt8]
    private let suffix: [UInt8]
    private let componentCount: Int

    init(current: ImageTag) {
        prefix = Array(current.prefix.utf8)
        suffix = Array(current.suffix.utf8)
        componentCount = current.version.components.count
    }

    /// What a tag is, as far as the decision is concerned.
    enum Match {
        case sameShape([UInt64])
        case otherShape
        case unreadable
    }

    func match(_ raw: String) -> Match {
        var raw = raw
        return raw.withUTF8 { bytes in
            if let components = sameShapeComponents(bytes) {
                guard ImageReference.isValidTag(utf8: bytes) else { return .unreadable }
                return .sameShape(components)
            }
            return Self.isReadable(bytes) ? .otherShape : .unreadable
        }
    }

    private func sameShapeComponents(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt64]? {
        let count = bytes.count
        guard count > prefix.count + suffix.count else { return nil }
        for index in 0..<prefix.count where bytes[index] != prefix[index] { return nil }
        let suffixStart = count - suffix.count
        for index in 0..<suffix.count where bytes[suffixStart + index] != suffix[index] { return nil }
        // The middle must be exactly `componentCount` dot-separated digit runs.
        var dots = 0
        var previousWasDigit = false
        for index in prefix.count..<suffixStart {
            let byte = bytes[index]
            if ByteScanner.isDigit(byte) {
                previousWasDigit = true
            } else if byte == UInt8(ascii: "."), previousWasDigit {
                dots += 1
                previousWasDigit = false
            } else {
                return nil
            }
        }
        guard previousWasDigit, dots + 1 == componentCount else { return nil }
        // The suffix must not continue the number (`1.2` + `3-x` is not `1.2` with suffix `3-x`).
        if suffixStart < count, ByteScanner.isDigit(bytes[suffixStart]) { return nil }
        if suffixStart + 1 < count, bytes[suffixStart] == UInt8(ascii: "."), ByteScanner.isDigit(bytes[suffixStart + 1])
        {
            return nil
        }
        var components: [UInt64] = []
        components.reserveCapacity(componentCount)
        var value: UInt64 = 0
        for index in prefix.count..<suffixStart {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                components.append(value)
                value = 0
                continue
            }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(byte &- 0x30))
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        components.append(value)
        return components
    }

    /// Whether ``TagParser`` would read a version from the tag (valid, not an artefact, has a digit).
    private static func isReadable(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.firstIndex(where: ByteScanner.isDigit), ImageReference.isValidTag(utf8: bytes),
            !TagParser.isSignatureArtifact(utf8: bytes)
        else { return false }
        // The first run of dotted numbers must fit in 64 bits per component, as the parser requires.
        var index = first
        var value: UInt64 = 0
        while index < bytes.count {
            let byte = bytes[index]
            if ByteScanner.isDigit(byte) {
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(UInt64(byte &- 0x30))
                if overflow1 || overflow2 { return false }
                value = sum
            } else if byte == UInt8(ascii: "."), index + 1 < bytes.count, ByteScanner.isDigit(bytes[index + 1]) {
                value = 0
            } else {
                break
            }
            index += 1
        }
        return true
    }
}
