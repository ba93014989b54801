import Foundation

/// Sets an image's `newTag` (or `digest`, for a floating tag) in the `images:` list of a
/// `kustomization.yaml`, editing the text: every other byte (comments, order, quoting, other entries)
/// stays as it was. An entry for the image (matched by `name` or `newName`) is added when missing,
/// and an `images:` list when the file has none.
///
/// Setting a tag removes the entry's `digest` line (kustomize would let the digest win over the tag).
package enum KustomizeImageWriter {
    /// The file names kustomize accepts, in its order of preference.
    package static let fileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"]

    /// The edited text, or nil when the file already says what `change` asks.
    ///
    /// - Throws: ``GitCommandError/Kind/unsupportedFile`` for an `images:` written in flow style.
    package static func edit(_ text: String, change: ImageChange) throws(GitCommandError) -> String? {
        var lines = YAMLLine.lines(of: text)
        let newline = lines.first?.hasSuffix("\r") == true ? "\r" : ""
        let (field, wanted) = change.digest.map { ("digest", $0) } ?? ("newTag", change.newTag)
        guard let imagesIndex = lines.firstIndex(where: { $0.hasPrefix("images:") }) else {
            // No images: list — append one.
            if let last = lines.last, last.isEmpty || last == "\r" { lines.removeLast() }
            lines += newEntry(change, field: field, value: wanted, dashColumn: 0, newline: newline, header: true)
            return lines.joined(separator: "\n") + "\n"
        }
        let header = YAMLLine(lines[imagesIndex])
        let headerValue = header?.value ?? ""
        if headerValue == "[]" {
            lines[imagesIndex] = "images:" + (header?.rest ?? newline)
            lines.insert(
                contentsOf: newEntry(
                    change, field: field, value: wanted, dashColumn: 0, newline: newline, header: false),
                at: imagesIndex + 1)
            return lines.joined(separator: "\n")
        }
        guard headerValue.isEmpty else {
            throw GitCommandError(
                .unsupportedFile,
                "the images: list of kustomization.yaml is written in flow style; write it as a block list "
                    + "(one \"- name:\" entry per line) so it can be edited without rewriting the file")
        }
        // The block: following lines that are indented, items (`- `), comments or blank.
        var end = imagesIndex + 1
        while end < lines.count {
            let line = lines[end]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed == "\r" || line.hasPrefix(" ") || line.hasPrefix("-") || line.hasPrefix("#") {
                end += 1
            } else {
                break
            }
        }
        // Trailing blank and comment lines after the last entry belong to what follows.
        var lastContent = imagesIndex
        for index in (imagesIndex + 1)..<end {
            let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty, trimmed != "\r", !trimmed.hasPrefix("#") { lastContent = index }
        }
        let items = itemRanges(lines, from: imagesIndex + 1, through: lastContent)
        let names = Set([change.name] + change.aliases)
        for range in items {
            let fields = range.compactMap { index in YAMLLine(lines[index]).map { (index, $0) } }
            guard let keyColumn = fields.first?.1.keyColumn else { continue }
            let own = fields.filter { $0.1.keyColumn == keyColumn }
            let name = own.first { $0.1.key == "name" }?.1.unquoted
            let newName = own.first { $0.1.key == "newName" }?.1.unquoted
            guard let name, names.contains(name) || newName.map(names.contains) == true else { continue }
            let current = own.first { $0.1.key == field }
            let digestLine = field == "newTag" ? own.first { $0.1.key == "digest" } : nil
            if let current, current.1.unquoted == wanted, digestLine == nil { return nil }
            let indent = String(repeating: " ", count: keyColumn)
            let fieldLine = indent + field + ": " + YAMLLine.quoted(wanted) + newline
            if let current {
                lines[current.0] = current.1.replacing(value: wanted)
                if let digestLine { lines.remove(at: digestLine.0) }
            } else if let digestLine {
                // The tag takes the digest's place.
                lines[digestLine.0] = fieldLine
            } else {
                let lastLine =
                    range.last { index in
                        let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
                        return !trimmed.isEmpty && trimmed != "\r" && !trimmed.hasPrefix("#")
                    } ?? range.lowerBound
                lines.insert(fieldLine, at: lastLine + 1)
            }
            return lines.joined(separator: "\n")
        }
        // No entry for this image: add one after the last entry, in the list's own indentation.
        let dashColumn = items.first.map { lines[$0.lowerBound].prefix { $0 == " " }.count } ?? 0
        lines.insert(
            contentsOf: newEntry(
                change, field: field, value: wanted, dashColumn: dashColumn, newline: newline, header: false),
            at: lastContent + 1)
        return lines.joined(separator: "\n")
    }

    /// The line ranges of the list's items (each from its `- ` line to the line before the next).
    private static func itemRanges(_ lines: [String], from start: Int, through end: Int) -> [ClosedRange<Int>] {
        guard start <= end else { return [] }
        var starts: [Int] = []
        var dashColumn: Int?
        for index in start...end {
            let line = lines[index]
            let column = line.prefix { $0 == " " }.count
            let rest = line.dropFirst(column)
            guard rest.hasPrefix("- ") || rest == "-" || rest == "-\r" else { continue }
            if dashColumn == nil { dashColumn = column }
            if column == dashColumn { starts.append(index) }
        }
        return starts.enumerated().map { offset, first in
            first...(offset + 1 < starts.count ? starts[offset + 1] - 1 : end)
        }
    }

    private static func newEntry(
        _ change: ImageChange, field: String, value: String, dashColumn: Int, newline: String, header: Bool
    ) -> [String] {
        let dash = String(repeating: " ", count: dashColumn)
        var lines = header ? ["images:" + newline] : []
        lines.append(dash + "- name: " + YAMLLine.quoted(change.name) + newline)
        lines.append(dash + "  " + field + ": " + YAMLLine.quoted(value) + newline)
        return lines
    }
}
