package import Foundation

/// One tag as the Hub API describes it: name, last update, index digest and per-platform images.
package struct DockerHubTag: Sendable, Hashable {
    package var name: String
    /// `last_updated` (or `tag_last_pushed`), when present and readable.
    package var lastUpdated: Date?
    /// The tag-level (index or manifest) digest; missing on some old tags.
    package var digest: String?
    /// `images[]`: each platform's manifest digest.
    package var images: [PlatformManifest]

    package init(name: String, lastUpdated: Date? = nil, digest: String? = nil, images: [PlatformManifest] = []) {
        self.name = name
        self.lastUpdated = lastUpdated
        self.digest = digest
        self.images = images
    }
}

/// A Hub API tag page. Every field but `name` is optional: the documented schema and real replies
/// disagree (`images` is an array, `v2` a boolean, old tags lack `digest`).
struct DockerHubTagPage: Decodable {
    struct Result: Decodable {
        struct Image: Decodable {
            var architecture: String?
            var os: String?
            var variant: String?
            var digest: String?
        }
        var name: String
        var last_updated: String?
        var tag_last_pushed: String?
        var digest: String?
        var images: [Image]?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            last_updated = try? container.decodeIfPresent(String.self, forKey: .last_updated)
            tag_last_pushed = try? container.decodeIfPresent(String.self, forKey: .tag_last_pushed)
            digest = try? container.decodeIfPresent(String.self, forKey: .digest)
            images = (try? container.decodeIfPresent([Image].self, forKey: .images)) ?? []
        }

        private enum CodingKeys: String, CodingKey {
            case name, last_updated, tag_last_pushed, digest, images
        }

        var tag: DockerHubTag {
            let platforms = (images ?? []).compactMap { image -> PlatformManifest? in
                guard let os = image.os, let architecture = image.architecture, let digest = image.digest else {
                    return nil
                }
                return PlatformManifest(
                    platform: Platform(os: os, architecture: architecture, variant: image.variant), digest: digest)
            }
            let date = (last_updated ?? tag_last_pushed).flatMap(HubTimestamp.parse)
            return DockerHubTag(name: name, lastUpdated: date, digest: digest, images: platforms)
        }
    }
    var count: Int?
    var next: String?
    var results: [Result]
}

/// RFC 3339 timestamps with any number of fractional digits (`2023-06-13T04:58:31.821511Z`).
package enum HubTimestamp {
    package static func parse(_ text: String) -> Date? {
        var base = text
        var fraction = 0.0
        if let dot = text.firstIndex(of: ".") {
            let digits = text[text.index(after: dot)...].prefix { $0.isNumber }
            fraction = Double("0." + digits) ?? 0
            base = String(text[..<dot]) + String(text[text.index(after: dot)...].dropFirst(digits.count))
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: base).map { $0.addingTimeInterval(fraction) }
    }
}
