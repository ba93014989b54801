import Foundation

/// Applies a writer to the files at a path of a working copy and says which files change.
enum ManifestEditor {
    /// The new text of each file that changes (paths relative to the working copy); empty when the
    /// files already hold the change.
    ///
    /// - Throws: ``GitCommandError`` `.pathMissing` (no such path, or no kustomization file in it),
    ///   `.markerNotFound`, `.unsupportedFile`.
    static func edits(
        in root: String, path: String, writer: WriterKind, change: ImageChange, branch: String
    ) throws(GitCommandError) -> [String: String] {
        let manager = FileManager.default
        let relative = normalized(path)
        let absolute = relative.isEmpty ? root : "\(root)/\(relative)"
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
            throw GitCommandError(
                .pathMissing,
                "spec.writeBack.path \"\(path)\" does not exist in branch \(branch); correct the path or create it")
        }
        switch writer {
        case .kustomize:
            guard isDirectory.boolValue else {
                throw GitCommandError(
                    .pathMissing,
                    "spec.writeBack.path \"\(path)\" is a file; writer kustomize needs the directory "
                        + "that holds kustomization.yaml")
            }
            guard
                let name = KustomizeImageWriter.fileNames.first(where: {
                    manager.fileExists(atPath: "\(absolute)/\($0)")
                })
            else {
                throw GitCommandError(
                    .pathMissing,
                    "there is no kustomization.yaml in \"\(path)\" (branch \(branch)); point spec.writeBack.path at "
                        + "the directory of the kustomization, or use writer marker")
            }
            let file = relative.isEmpty ? name : "\(relative)/\(name)"
            let text = try read("\(root)/\(file)")
            guard let edited = try KustomizeImageWriter.edit(text, change: change) else { return [:] }
            return [file: edited]
        case .marker:
            let files = isDirectory.boolValue ? yamlFiles(under: absolute, relativeTo: root) : [relative]
            var found = false
            var result: [String: String] = [:]
            for file in files {
                switch try MarkerWriter.edit(try read("\(root)/\(file)"), change: change) {
                case .noMarker: continue
                case .unchanged: found = true
                case .changed(let text):
                    found = true
                    result[file] = text
                }
            }
            guard found else {
                throw GitCommandError(
                    .markerNotFound,
                    "no YAML field under \"\(path)\" (branch \(branch)) carries the marker "
                        + "\"# \(MarkerWriter.marker(handler: change.handler, container: change.container))\"; add it "
                        + "to the field that holds the image")
            }
            return result
        }
    }

    /// `path` without leading `./` or `/` and trailing `/`.
    static func normalized(_ path: String) -> String {
        var parts = path.split(separator: "/").map(String.init).filter { $0 != "." && !$0.isEmpty }
        if parts.isEmpty { parts = [] }
        return parts.joined(separator: "/")
    }

    private static func read(_ path: String) throws(GitCommandError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GitCommandError(.failed, "\(path) cannot be read")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The `.yaml`/`.yml` files under `directory` (skipping `.git`), relative to `root`, sorted.
    private static func yamlFiles(under directory: String, relativeTo root: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        let base = directory == root ? "" : String(directory.dropFirst(root.count + 1)) + "/"
        var files: [String] = []
        while let name = enumerator.nextObject() as? String {
            if name == ".git" || name.hasPrefix(".git/") { continue }
            if name.hasSuffix(".yaml") || name.hasSuffix(".yml") { files.append(base + name) }
        }
        return files.sorted()
    }
}
