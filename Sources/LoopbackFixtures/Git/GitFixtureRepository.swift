import Foundation

/// A bare Git repository on disk for write-back tests: created with files on a branch, inspected with
/// plain git commands, and changed by "someone else" (a separate clone that commits and pushes).
///
/// Every git command runs with `-c user.name/-c user.email` and the file protocol; nothing reaches the
/// network.
package struct GitFixtureRepository: Sendable {
    /// The bare repository's directory (`<root>/<name>.git`).
    package let path: String
    /// The repository's name as served (`<name>.git`).
    package let name: String
    package let branch: String
    /// A scratch directory for clones.
    private let scratch: String

    /// Creates `<root>/<name>.git` with `files` committed on `branch` (one commit, "initial").
    package static func create(
        in root: String, name: String = "manifests", branch: String = "main", files: [String: String]
    ) throws -> GitFixtureRepository {
        let path = "\(root)/\(name).git"
        let scratch = "\(root)/.scratch-\(name)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        _ = try git(["init", "--quiet", "--bare", "--initial-branch", branch, path])
        _ = try git(["-C", path, "config", "http.receivepack", "true"])
        let repository = GitFixtureRepository(path: path, name: "\(name).git", branch: branch, scratch: scratch)
        try repository.commit(files: files, message: "initial", initial: true)
        return repository
    }

    /// Runs git (identity set, no hooks) and returns its standard output.
    @discardableResult
    package static func git(_ arguments: [String]) throws -> String {
        let output = try ToolRunner.run(
            "git",
            [
                "-c", "user.name=Someone Else", "-c", "user.email=someone@example.com", "-c",
                "core.hooksPath=/dev/null",
                "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always",
            ] + arguments)
        return String(decoding: output, as: UTF8.self)
    }

    /// Commits `files` (path → content) on the branch as someone else and pushes it to the bare repository.
    ///
    /// - Returns: the new commit's SHA.
    @discardableResult
    package func commit(files: [String: String], message: String, initial: Bool = false) throws -> String {
        let clone = "\(scratch)/clone-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: clone) }
        if initial {
            try FileManager.default.createDirectory(atPath: clone, withIntermediateDirectories: true)
            try Self.git(["-C", clone, "init", "--quiet", "--initial-branch", branch])
            try Self.git(["-C", clone, "remote", "add", "origin", path])
        } else {
            try Self.git(["clone", "--quiet", "--branch", branch, path, clone])
        }
        for (file, text) in files {
            let url = URL(fileURLWithPath: "\(clone)/\(file)")
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try Self.git(["-C", clone, "add", "--all"])
        try Self.git(["-C", clone, "commit", "--quiet", "-m", message])
        try Self.git(["-C", clone, "push", "--quiet", "origin", "HEAD:refs/heads/\(branch)"])
        return try Self.git(["-C", clone, "rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Installs a server-side hook (`pre-receive`, `update`, …) that runs `script` (a shell script body).
    package func installHook(_ name: String, script: String) throws {
        let path = "\(self.path)/hooks/\(name)"
        try Data("#!/bin/sh\n\(script)\n".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    /// The branch's commits, newest first.
    package func commits() throws -> [String] {
        try Self.git(["-C", path, "rev-list", branch]).split(separator: "\n").map(String.init)
    }

    /// The full message of a commit.
    package func message(of commit: String) throws -> String {
        try Self.git(["-C", path, "log", "-1", "--format=%B", commit])
    }

    /// `name <email>` of a commit's author.
    package func author(of commit: String) throws -> String {
        try Self.git(["-C", path, "log", "-1", "--format=%an <%ae>", commit]).trimmingCharacters(
            in: .whitespacesAndNewlines)
    }

    /// A file's content at the branch's head (or at `revision`).
    package func file(_ file: String, at revision: String? = nil) throws -> String {
        try Self.git(["-C", path, "show", "\(revision ?? branch):\(file)"])
    }

    /// The lines a commit removed and added (`-old`, `+new`), per its diff against its parent.
    package func changedLines(in commit: String) throws -> [String] {
        try Self.git(["-C", path, "show", "--format=", "--unified=0", commit]).split(separator: "\n")
            .map(String.init).filter {
                ($0.hasPrefix("+") || $0.hasPrefix("-")) && !$0.hasPrefix("+++") && !$0.hasPrefix("---")
            }
    }

    /// The files a commit changed.
    package func changedFiles(in commit: String) throws -> [String] {
        try Self.git(["-C", path, "show", "--format=", "--name-only", commit]).split(separator: "\n").map(String.init)
    }
}
