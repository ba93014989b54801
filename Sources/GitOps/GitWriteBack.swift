import Foundation
package import Logging
package import Transport

/// Commits findings to Git: one commit per finding on the branch's current head, pushed as a
/// fast-forward (never forced), with the change re-applied on the new head when someone else pushed
/// first.
///
/// Expected flow, per finding: sync the working copy to the remote head → edit the files (a text
/// edit) → nothing to change? look the commit up by its trailer and report it → commit → push →
/// non-fast-forward? wait (backoff), sync again, re-apply, push again (up to `maxAttempts`).
///
/// Guarantees:
/// - Idempotent: when the branch already holds the change (a crash after the push, a takeover, an
///   earlier cycle), no commit is made; the earlier commit's SHA is returned when its trailer is in the
///   recent history.
/// - Only non-fast-forward pushes are retried; refused credentials, a protected branch, a missing path
///   or marker fail at once (``GitCommandError/isRetryable`` is false), so a wrong token costs one push.
/// - One operation per working copy at a time (``WorkingCopyCache``); credentials exist on disk only
///   during the operation.
package struct GitWriteBack: Sendable {
    /// The outcome of one finding.
    package enum Result: Sendable, Hashable {
        /// A new commit was pushed.
        case committed(sha: String)
        /// The branch already held the change; the commit that made it, when found.
        case alreadyPresent(sha: String?)

        package var sha: String? {
            switch self {
            case .committed(let sha): sha
            case .alreadyPresent(let sha): sha
            }
        }
    }

    package let cache: WorkingCopyCache
    package var runner: GitCommandRunner
    package var author: GitSession.Author
    package var template: CommitMessageTemplate
    /// Push attempts per finding (the first and the retries after non-fast-forwards).
    package var maxAttempts: Int
    package var backoff: Backoff
    private let clock: any Clock<Duration>
    private let logger: Logger

    package init(
        cache: WorkingCopyCache, runner: GitCommandRunner = GitCommandRunner(), author: GitSession.Author = .init(),
        template: CommitMessageTemplate = CommitMessageTemplate(), maxAttempts: Int = 5,
        backoff: Backoff = Backoff(initialDelay: .milliseconds(250), maxDelay: .seconds(8)),
        clock: any Clock<Duration> = ContinuousClock(), logger: Logger = Logger(label: "k8supdater.gitops")
    ) {
        self.cache = cache
        self.runner = runner
        self.author = author
        self.template = template
        self.maxAttempts = max(1, maxAttempts)
        self.backoff = backoff
        self.clock = clock
        self.logger = logger
    }

    /// Writes `change` to `target` and pushes it.
    ///
    /// - Parameter reason: the decision, for the commit message.
    /// - Throws: ``GitCommandError``.
    package func write(_ change: ImageChange, to target: WriteBackTarget, reason: String)
        async throws(GitCommandError) -> Result
    {
        try target.validate()
        let message = template.render(
            change, reason: reason, repository: GitCommandRunner.redact(target.repository, secrets: []),
            branch: target.branch, path: target.path)
        return try await cache.withWorkingCopy(url: target.repository, branch: target.branch) {
            (directory) async throws(GitCommandError) -> Result in
            try await GitSession.withSession(
                root: cache.root, credentials: target.credentials, author: author, runner: runner
            ) { (session) async throws(GitCommandError) -> Result in
                let copy = GitWorkingCopy(
                    path: directory, url: target.repository, branch: target.branch, session: session)
                return try await write(change, message: message, target: target, copy: copy)
            }
        }
    }

    private func write(_ change: ImageChange, message: String, target: WriteBackTarget, copy: GitWorkingCopy)
        async throws(GitCommandError) -> Result
    {
        var backoff = backoff
        var attempt = 0
        while true {
            attempt += 1
            let head = try await copy.sync()
            let edits = try ManifestEditor.edits(
                in: copy.path, path: target.path, writer: target.writer, change: change, branch: target.branch)
            if edits.isEmpty {
                let sha = try await copy.findCommit(containing: change.trailer)
                logger.debug(
                    "the branch already holds the change",
                    metadata: ["head": "\(head)", "commit": "\(sha ?? "unknown")", "change": "\(change.trailer)"])
                return .alreadyPresent(sha: sha)
            }
            for (file, text) in edits {
                do { try Data(text.utf8).write(to: URL(fileURLWithPath: "\(copy.path)/\(file)")) } catch {
                    throw GitCommandError(.failed, "\(file) could not be written in the working copy: \(error)")
                }
            }
            let sha = try await copy.commit(paths: edits.keys.sorted(), message: message)
            do {
                try await copy.push()
                logger.info(
                    "committed and pushed",
                    metadata: ["commit": "\(sha)", "branch": "\(target.branch)", "attempt": "\(attempt)"])
                return .committed(sha: sha)
            } catch  where error.kind == .nonFastForward && attempt < maxAttempts {
                let delay = backoff.next()
                logger.info(
                    "the branch moved; re-applying the change on its new head",
                    metadata: ["attempt": "\(attempt)", "delay": "\(delay)"])
                do { try await clock.sleep(for: delay) } catch {
                    throw GitCommandError(.failed, "cancelled while waiting to push again")
                }
            }
        }
    }
}
