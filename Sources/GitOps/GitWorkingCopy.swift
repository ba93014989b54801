import Foundation

/// A shallow working copy of one branch of one repository, driven through a ``GitSession``.
///
/// Every operation starts from the remote branch's current head (``sync()``): a local commit that was
/// never pushed (a crash between commit and push) is discarded, never pushed later by surprise.
package struct GitWorkingCopy: Sendable {
    /// The directory of the working copy.
    package let path: String
    /// The remote URL (without user information).
    package let url: String
    package let branch: String
    package let session: GitSession

    package init(path: String, url: String, branch: String, session: GitSession) {
        self.path = path
        self.url = url
        self.branch = branch
        self.session = session
    }

    private var remoteRef: String { "refs/remotes/origin/\(branch)" }

    /// Makes the working copy equal to the remote branch's head (clone at depth 1 when there is none
    /// yet or it belongs to another URL; else fetch at depth 1 and reset hard).
    ///
    /// - Returns: the head's SHA.
    @discardableResult
    package func sync() async throws(GitCommandError) -> String {
        let manager = FileManager.default
        var reusable = manager.fileExists(atPath: "\(path)/.git")
        if reusable {
            let remote = try? await session.git(["config", "--get", "remote.origin.url"], in: path)
            reusable = remote?.status == 0 && remote?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == url
        }
        if reusable {
            let fetched = try await session.git(
                ["fetch", "--quiet", "--depth", "1", "--no-tags", "origin", "+refs/heads/\(branch):\(remoteRef)"],
                in: path)
            try check(fetched, "fetch")
        } else {
            try? manager.removeItem(atPath: path)
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
            do { try manager.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
                throw GitCommandError(.failed, "the working copy directory \(parent) cannot be created: \(error)")
            }
            let cloned = try await session.git(
                [
                    "clone", "--quiet", "--depth", "1", "--single-branch", "--no-tags", "--branch", branch, "--", url,
                    path,
                ], in: parent)
            try check(cloned, "clone")
        }
        try check(try await session.git(["reset", "--quiet", "--hard", remoteRef], in: path), "reset")
        try check(try await session.git(["clean", "--quiet", "-fdx"], in: path), "clean")
        return try await head()
    }

    /// The SHA of `HEAD`.
    package func head() async throws(GitCommandError) -> String {
        let output = try await session.git(["rev-parse", "HEAD"], in: path)
        try check(output, "rev-parse")
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Commits the given paths (relative to the working copy) with `message`.
    ///
    /// - Returns: the new commit's SHA.
    package func commit(paths: [String], message: String) async throws(GitCommandError) -> String {
        try check(try await session.git(["add", "--"] + paths, in: path), "add")
        let committed = try await session.git(
            ["commit", "--quiet", "--no-verify", "--cleanup=verbatim", "-F", "-"], in: path,
            input: Data(message.utf8))
        try check(committed, "commit")
        return try await head()
    }

    /// Pushes `HEAD` to the branch — a fast-forward only: never forced.
    package func push() async throws(GitCommandError) {
        let pushed = try await session.git(
            ["push", "--porcelain", "--quiet", "origin", "HEAD:refs/heads/\(branch)"], in: path)
        try check(pushed, "push")
    }

    /// The newest commit reachable in the (shallow) history whose message contains `text`, looking
    /// back up to `depth` commits (the history is deepened when needed); nil when none does.
    package func findCommit(containing text: String, depth: Int = 50) async throws(GitCommandError) -> String? {
        for attempt in 0..<2 {
            let log = try await session.git(
                ["log", "--format=%H", "--fixed-strings", "--grep", text, "-n", "1", "HEAD"], in: path)
            try check(log, "log")
            let sha = log.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            if !sha.isEmpty { return sha }
            guard attempt == 0 else { break }
            let deepened = try await session.git(
                ["fetch", "--quiet", "--no-tags", "--deepen", String(depth), "origin", "refs/heads/\(branch)"],
                in: path)
            guard deepened.status == 0 else { return nil }
        }
        return nil
    }

    private func check(_ output: GitCommandRunner.Output, _ operation: String) throws(GitCommandError) {
        guard output.status != 0 else { return }
        throw GitErrorClassifier.classify(
            operation: operation, url: url, branch: branch, stderr: output.stderr, stdout: output.stdout)
    }
}
