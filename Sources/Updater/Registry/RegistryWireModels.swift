import Foundation

/// `GET /v2/<name>/tags/list` → `{"name":"…","tags":[…]}`; `tags` may be null (empty repository).
struct TagsListPage: Decodable {
    var name: String?
    var tags: [String]?
}

/// A manifest or an index, read only for what ``OCIRegistryClient/created(of:tag:credentials:)`` needs.
struct ManifestDocument: Decodable {
    struct Descriptor: Decodable { var digest: String }
    var config: Descriptor?
    var manifests: [ImageIndexDocument.Entry]?
}

/// An OCI image index or Docker manifest list: its children and their platforms.
struct ImageIndexDocument: Decodable {
    struct Entry: Decodable {
        struct PlatformField: Decodable {
            var os: String?
            var architecture: String?
            var variant: String?
        }
        var mediaType: String?
        var digest: String
        var platform: PlatformField?
    }
    var manifests: [Entry]

    /// The children that name a real platform (attestation entries say `unknown/unknown` and are skipped).
    var platformManifests: [PlatformManifest] {
        manifests.compactMap { entry in
            guard let os = entry.platform?.os, let architecture = entry.platform?.architecture,
                os != "unknown", architecture != "unknown"
            else { return nil }
            return PlatformManifest(
                platform: Platform(os: os, architecture: architecture, variant: entry.platform?.variant),
                digest: entry.digest,
                mediaType: entry.mediaType
            )
        }
    }
}

/// The registry error body `{"errors":[{"code":"…","message":"…"}]}`, reduced to one safe line.
enum RegistryErrorBody {
    /// `CODE: message` of the first error, or the start of a non-JSON body, at most 200 characters,
    /// printable ASCII only (a hostile registry cannot inject control characters into a status).
    static func summary(_ body: Data) -> String {
        struct Wire: Decodable {
            struct Item: Decodable {
                var code: String?
                var message: String?
            }
            var errors: [Item]?
        }
        let text: String
        if let wire = try? JSONDecoder().decode(Wire.self, from: body), let first = wire.errors?.first {
            text = [first.code, first.message].compactMap(\.self).joined(separator: ": ")
        } else {
            text = String(decoding: body.prefix(200), as: UTF8.self)
        }
        let safe = text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : " " }
        return String(String(safe).prefix(200)).trimmingCharacters(in: .whitespaces)
    }

    /// The first error code, if the body is a registry error body.
    static func code(_ body: Data) -> String? {
        struct Wire: Decodable {
            struct Item: Decodable { var code: String? }
            var errors: [Item]?
        }
        return (try? JSONDecoder().decode(Wire.self, from: body))?.errors?.first?.code
    }
}

/// Checks `algorithm:hex` digests (`sha256:` + 64 hex digits, or other registered algorithms).
enum DigestFormat {
    static func isValid(_ digest: String) -> Bool {
        let parts = digest.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].count >= 32, parts[1].count <= 128 else { return false }
        let hex = parts[1].allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
        let algorithm = parts[0].allSatisfy { $0.isLetter || $0.isNumber || "+._-".contains($0) }
        return hex && algorithm && (parts[0] != "sha256" || parts[1].count == 64)
    }
}
