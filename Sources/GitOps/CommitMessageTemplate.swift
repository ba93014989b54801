/// The commit message of a write-back: a configurable template with `{placeholders}`, followed by the
/// `K8supdater-Change:` trailer (always added: a replica that takes over finds the commit by it).
///
/// Placeholders: `{image}`, `{container}`, `{oldTag}`, `{newTag}` (the tag, or the digest for a
/// floating tag), `{handler}` (`namespace/name`), `{reason}` (the decision), `{repository}`,
/// `{branch}`, `{path}`. Unknown placeholders are left as written.
package struct CommitMessageTemplate: Sendable, Hashable {
    package static let defaultTemplate = """
        Update {image} from {oldTag} to {newTag}

        VersioningHandler {handler}, container {container}: {reason}
        """

    package var template: String

    package init(_ template: String = CommitMessageTemplate.defaultTemplate) { self.template = template }

    /// The message for `change`.
    package func render(_ change: ImageChange, reason: String, repository: String, branch: String, path: String)
        -> String
    {
        let values = [
            "image": change.name, "container": change.container, "oldTag": change.oldTag, "newTag": change.written,
            "handler": change.handler, "reason": reason, "repository": repository, "branch": branch, "path": path,
        ]
        var output = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            output += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: "}"), let value = values[String(rest[afterOpen..<close])] {
                output += value
                rest = rest[rest.index(after: close)...]
            } else {
                output += "{"
                rest = rest[afterOpen...]
            }
        }
        output += rest
        while output.hasSuffix("\n") { output.removeLast() }
        return output + "\n\n" + change.trailer + "\n"
    }
}
