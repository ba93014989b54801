import Foundation

/// A patch body and the algorithm the server applies it with (chosen by Content-Type).
package enum Patch: Sendable, Hashable {
    /// RFC 7386 JSON merge patch: objects merge recursively, `null` deletes, arrays are replaced.
    case merge(JSON)
    /// RFC 6902 JSON patch; a `test` operation makes the whole patch fail (422) when the object changed.
    case json([JSONPatchOperation])

    package var contentType: String {
        switch self {
        case .merge: "application/merge-patch+json"
        case .json: "application/json-patch+json"
        }
    }

    var body: JSON {
        switch self {
        case .merge(let value): value
        case .json(let operations): .array(operations.map(\.json))
        }
    }
}

/// One RFC 6902 operation. Paths are JSON pointers (`/metadata/finalizers/0`); use
/// ``JSONPatchOperation/pointer(_:)`` to escape keys that contain `/` or `~`.
package enum JSONPatchOperation: Sendable, Hashable {
    case add(path: String, value: JSON)
    case remove(path: String)
    case replace(path: String, value: JSON)
    case move(from: String, path: String)
    case copy(from: String, path: String)
    /// Fails the whole patch unless the value at `path` equals `value`.
    case test(path: String, value: JSON)

    var json: JSON {
        switch self {
        case .add(let path, let value): ["op": "add", "path": .string(path), "value": value]
        case .remove(let path): ["op": "remove", "path": .string(path)]
        case .replace(let path, let value): ["op": "replace", "path": .string(path), "value": value]
        case .move(let from, let path): ["op": "move", "from": .string(from), "path": .string(path)]
        case .copy(let from, let path): ["op": "copy", "from": .string(from), "path": .string(path)]
        case .test(let path, let value): ["op": "test", "path": .string(path), "value": value]
        }
    }

    /// A JSON pointer from unescaped reference tokens: `pointer(["metadata", "annotations", "a/b"])`
    /// is `/metadata/annotations/a~1b`.
    package static func pointer(_ tokens: [String]) -> String {
        tokens.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }
            .joined()
    }
}
