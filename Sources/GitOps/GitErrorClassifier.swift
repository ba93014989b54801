import Foundation

/// Turns what git printed for a failed command into a ``GitCommandError`` (git runs with `LC_ALL=C`,
/// so its messages are the English ones matched here).
package enum GitErrorClassifier {
    /// - Parameters:
    ///   - operation: the git subcommand (for the message).
    ///   - stderr, stdout: git's redacted output (`push --porcelain` reports refusals on stdout).
    package static func classify(
        operation: String, url: String, branch: String, stderr: String, stdout: String
    ) -> GitCommandError {
        let text = stderr + "\n" + stdout
        let lower = text.lowercased()
        let detail = lastLine(stderr) ?? lastLine(stdout) ?? "exit status non-zero"
        let subject = "git \(operation) of \(GitCommandRunner.redact(url, secrets: [])) (branch \(branch))"
        func has(_ needles: String...) -> Bool { needles.contains { lower.contains($0) } }
        if has(
            "authentication failed", "could not read username", "could not read password", "error: 401",
            "error: 403", "permission denied (publickey", "host key verification failed",
            "invalid username or password",
            "no such identity")
        {
            return GitCommandError(
                .authRefused,
                "\(subject) was refused: the credentials were not accepted (\(detail)); check the Secret named by "
                    + "spec.writeBack.secretRef")
        }
        if has(
            "non-fast-forward", "(fetch first)", "updates were rejected because the remote contains",
            "updates were rejected because the tip")
        {
            return GitCommandError(
                .nonFastForward, "\(subject) was not a fast-forward: the branch moved meanwhile (\(detail))")
        }
        if has(
            "[remote rejected]", "hook declined", "protected branch", "pre-receive hook", "deny updating",
            "refusing to update", "! [rejected]")
        {
            return GitCommandError(
                .pushRejected,
                "\(subject) was rejected by the server (a protected branch or a hook): \(detail); allow the operator's "
                    + "account to push to \(branch) or choose another branch")
        }
        if has(
            "remote branch \(branch.lowercased()) not found", "couldn't find remote ref", "repository not found",
            "does not appear to be a git repository", "error: 404", "not found")
        {
            return GitCommandError(
                .repositoryNotFound,
                "\(subject) failed: the repository or the branch does not exist or is not visible (\(detail)); check "
                    + "spec.writeBack.repository and branch")
        }
        if has(
            "could not resolve host", "connection refused", "failed to connect", "connection timed out",
            "error: 5", "early eof", "unexpected disconnect", "the remote end hung up", "connection reset",
            "operation timed out", "network is unreachable")
        {
            return GitCommandError(.unreachable, "\(subject) failed: the server could not be reached (\(detail))")
        }
        return GitCommandError(.failed, "\(subject) failed: \(detail)")
    }

    private static func lastLine(_ text: String) -> String? {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .last { !$0.isEmpty && $0 != "Done" }
    }
}
