import Testing
import Transport

import struct Foundation.Data

@Suite("SHA-256 and HMAC-SHA256")
struct DigestTests {
    /// FIPS 180-2 appendix B and NIST example vectors.
    @Test(
        "SHA-256 matches the FIPS vectors",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
        ])
    func sha256Vectors(message: String, expected: String) throws {
        #expect(try SHA256.hash(message.utf8).hex == expected)
    }

    @Test("SHA-256 of a million 'a' matches FIPS 180-2 B.3")
    func sha256Million() throws {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(try SHA256.hash(message).hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// One RFC 4231 case: key and message in hex, expected HMAC-SHA256 in hex.
    struct HMACVector: Sendable, CustomTestStringConvertible {
        var name: String
        var key: [UInt8]
        var message: [UInt8]
        var expected: String
        var testDescription: String { name }
    }

    /// RFC 4231 test cases 1, 2, 3, 4, 6 and 7 (case 5 is a truncated MAC).
    static let rfc4231: [HMACVector] = [
        HMACVector(
            name: "case 1", key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8),
            expected: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        HMACVector(
            name: "case 2", key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8),
            expected: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        HMACVector(
            name: "case 3", key: [UInt8](repeating: 0xaa, count: 20), message: [UInt8](repeating: 0xdd, count: 50),
            expected: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        HMACVector(
            name: "case 4", key: Array(1...25), message: [UInt8](repeating: 0xcd, count: 50),
            expected: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        HMACVector(
            name: "case 6", key: [UInt8](repeating: 0xaa, count: 131),
            message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            expected: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        HMACVector(
            name: "case 7", key: [UInt8](repeating: 0xaa, count: 131),
            message: Array(
                ("This is a test using a larger than block-size key and a larger than block-size data. "
                    + "The key needs to be hashed before being used by the HMAC algorithm.").utf8),
            expected: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test("HMAC-SHA256 matches RFC 4231", arguments: rfc4231)
    func hmacVectors(vector: HMACVector) throws {
        #expect(try HMAC.sha256(key: vector.key, message: vector.message).hex == vector.expected)
    }

    @Test("Data and byte arrays hash alike; constant-time comparison tells digests apart")
    func dataAndComparison() throws {
        let data = Data("k8supdater".utf8)
        let digest = try SHA256.hash(data)
        #expect(try digest == SHA256.hash(Array("k8supdater".utf8)))
        #expect(digest.constantTimeEquals(try SHA256.hash(data)))
        let other = try SHA256.hash(Data("k8supdatex".utf8))
        #expect(!digest.constantTimeEquals(other))
        #expect(digest.bytes.count == SHA256.byteCount)
    }
}
