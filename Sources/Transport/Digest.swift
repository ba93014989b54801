import CCrypto

/// A message digest or MAC: its raw bytes and their lowercase hex spelling.
package struct Digest: Sendable, Hashable, CustomStringConvertible {
    /// The raw digest bytes (32 for SHA-256).
    package let bytes: [UInt8]

    package init(bytes: [UInt8]) { self.bytes = bytes }

    /// Lowercase hexadecimal, two characters per byte (64 for SHA-256).
    package var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    package var description: String { hex }

    /// Compares with another digest in time independent of where they differ (for MAC checks).
    package func constantTimeEquals(_ other: Digest) -> Bool {
        guard bytes.count == other.bytes.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(bytes, other.bytes) { difference |= left ^ right }
        return difference == 0
    }
}

/// libcrypto could not compute a digest (it could not allocate, or its default provider did not load,
/// e.g. under a broken `OPENSSL_CONF`). Not retryable within this process.
package struct DigestError: Error, Sendable, Hashable, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

/// SHA-256 (FIPS 180-4) over libcrypto.
package enum SHA256 {
    /// Digest length in bytes.
    package static let byteCount = 32
    /// Block length in bytes (used by HMAC).
    package static let blockSize = 64

    /// The SHA-256 digest of `message` (e.g. `Data`, `[UInt8]` or `string.utf8`).
    ///
    /// - Throws: ``DigestError`` when libcrypto fails.
    package static func hash(_ message: some Sequence<UInt8>) throws(DigestError) -> Digest {
        let input = Array(message)
        var output = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let ok = input.withUnsafeBytes { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                EVP_Digest(
                    inputBuffer.baseAddress, inputBuffer.count, outputBuffer.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        guard ok == 1, length == UInt32(byteCount) else { throw DigestError("libcrypto failed to compute SHA-256") }
        return Digest(bytes: output)
    }
}

/// HMAC (RFC 2104) with SHA-256, built on ``SHA256``.
package enum HMAC {
    /// HMAC-SHA256 of `message` under `key`; a key longer than the block size is hashed first.
    ///
    /// - Throws: ``DigestError`` when libcrypto fails.
    package static func sha256(key: some Sequence<UInt8>, message: some Sequence<UInt8>) throws(DigestError) -> Digest {
        var block = Array(key)
        if block.count > SHA256.blockSize { block = try SHA256.hash(block).bytes }
        block += [UInt8](repeating: 0, count: SHA256.blockSize - block.count)
        let inner = try SHA256.hash(block.map { $0 ^ 0x36 } + Array(message))
        return try SHA256.hash(block.map { $0 ^ 0x5c } + inner.bytes)
    }
}
