import Foundation

/// Writes a new tag into YAML fields that carry a marker comment naming the VersioningHandler and
/// container (like Flux's image-automation setters), editing only the value's text.
///
/// Marker syntax (at the end of the field's line):
/// - `image: registry.example/team/web:1.25.3 # k8supdater: <namespace>/<vh-name>:<container>` — the value
///   is a whole image reference; its tag is replaced (for a floating tag, `@<digest>` is set), the
///   repository part stays as written;
/// - `tag: "1.25.3" # k8supdater: <namespace>/<vh-name>:<container>:tag` — the value is the tag alone
///   (e.g. a Helm values file).
///
/// Everything else in the file — other fields, comments, order, quoting, line endings — is left byte
/// for byte as it was.
package enum MarkerWriter {
    /// The marker a field carries for `handler` (`namespace/name`) and `container`.
    package static func marker(handler: String, container: String) -> String { "k8supdater: \(handler):\(container)" }

    /// The result of editing one file.
    package enum Edit: Sendable, Hashable {
        /// The file has no marker for this container.
        case noMarker
        /// Every marked field already holds the new value.
        case unchanged
        case changed(String)
    }

    /// Edits one file's text.
    ///
    /// - Throws: ``GitCommandError/Kind/unsupportedFile`` when a tag-only field should pin a digest.
    package static func edit(_ text: String, change: ImageChange) throws(GitCommandError) -> Edit {
        var lines = YAMLLine.lines(of: text)
        let target = "\(change.handler):\(change.container)"
        var found = false
        var changed = false
        for (index, line) in lines.enumerated() where line.contains("k8supdater:") {
            guard let field = YAMLLine(line), let kind = markerKind(field.rest, target: target) else { continue }
            found = true
            let current = field.unquoted
            let wanted: String
            switch kind {
            case .image: wanted = replacingTag(in: current, change: change)
            case .tag:
                guard change.digest == nil else {
                    throw GitCommandError(
                        .unsupportedFile,
                        "the field \"\(field.key)\" is marked \":tag\" but \(change.newTag) is a floating tag whose "
                            + "digest must be pinned; mark the whole image reference instead")
                }
                wanted = change.newTag
            }
            guard wanted != current else { continue }
            lines[index] = field.replacing(value: wanted)
            changed = true
        }
        guard found else { return .noMarker }
        return changed ? .changed(lines.joined(separator: "\n")) : .unchanged
    }

    private enum MarkerKind { case image, tag }

    /// Whether the text after a value is a marker comment for `target` (`namespace/name:container`).
    private static func markerKind(_ rest: String, target: String) -> MarkerKind? {
        let trimmed = rest.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("#") else { return nil }
        let comment = trimmed.dropFirst().trimmingCharacters(in: .whitespaces)
        guard comment.hasPrefix("k8supdater:") else { return nil }
        let reference = comment.dropFirst("k8supdater:".count).trimmingCharacters(in: .whitespaces)
        if reference == target { return .image }
        if reference == target + ":tag" { return .tag }
        return nil
    }

    /// `repository[:tag][@digest]` with the tag (and digest) of `change`; the repository as written.
    static func replacingTag(in image: String, change: ImageChange) -> String {
        var base = image
        if let at = base.firstIndex(of: "@") { base = String(base[..<at]) }
        let lastSlash = base.lastIndex(of: "/")
        var tag: String?
        if let colon = base.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
            tag = String(base[base.index(after: colon)...])
            base = String(base[..<colon])
        }
        if let digest = change.digest { return "\(base):\(tag ?? change.newTag)@\(digest)" }
        return "\(base):\(change.newTag)"
    }
}
