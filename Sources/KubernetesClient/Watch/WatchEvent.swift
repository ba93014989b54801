/// One event of a watch stream, as the server sent it.
package enum WatchEvent<R: KubernetesResource>: Sendable {
    case added(R)
    case modified(R)
    /// The object's last state, with the resourceVersion of the deletion.
    case deleted(R)
    /// No object change; the stream has reached this resourceVersion.
    case bookmark(resourceVersion: String)
    /// The server ended the watch with a Status (410 Expired when the resourceVersion is too old).
    case error(StatusBody)

    /// The resourceVersion this event brings the watch to, if any.
    package var resourceVersion: String? {
        switch self {
        case .added(let object), .modified(let object), .deleted(let object): object.metadata.resourceVersion
        case .bookmark(let version): version
        case .error: nil
        }
    }

    /// The same event with its object (if any) passed through `transform`.
    package func mapObject(_ transform: (R) -> R) -> WatchEvent<R> {
        switch self {
        case .added(let object): .added(transform(object))
        case .modified(let object): .modified(transform(object))
        case .deleted(let object): .deleted(transform(object))
        case .bookmark, .error: self
        }
    }
}

/// Decodes one NDJSON line `{"type":…,"object":…}` into a ``WatchEvent``, in a single pass.
struct WatchEventLine<R: KubernetesResource>: Decodable {
    var event: WatchEvent<R>

    private enum CodingKeys: String, CodingKey { case type, object }

    private struct BookmarkObject: Decodable {
        struct Metadata: Decodable { var resourceVersion: String? }
        var metadata: Metadata?
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "ADDED": event = .added(try container.decode(R.self, forKey: .object))
        case "MODIFIED": event = .modified(try container.decode(R.self, forKey: .object))
        case "DELETED": event = .deleted(try container.decode(R.self, forKey: .object))
        case "BOOKMARK":
            let object = try container.decode(BookmarkObject.self, forKey: .object)
            guard let version = object.metadata?.resourceVersion, !version.isEmpty else {
                throw DecodingError.dataCorruptedError(
                    forKey: .object, in: container, debugDescription: "bookmark without metadata.resourceVersion")
            }
            event = .bookmark(resourceVersion: version)
        case "ERROR": event = .error(try container.decode(StatusBody.self, forKey: .object))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown watch event type \(type.prefix(32))")
        }
    }
}
