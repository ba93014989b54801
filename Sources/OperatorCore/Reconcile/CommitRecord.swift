import VersioningAPI

/// With `spec.writeBack`: what one container's finding became in Git — being committed (`sha` nil,
/// `pushed` false), pushed as `sha`, or found already in the branch.
package struct CommitRecord: Sendable, Hashable {
    /// The tag (or digest, for a floating tag) written.
    package var written: String
    package var sha: String?
    /// Whether the change is in the remote branch (pushed now or found there).
    package var pushed: Bool
    package var repository: String
    package var branch: String

    package init(written: String, sha: String?, pushed: Bool, repository: String, branch: String) {
        self.written = written
        self.sha = sha
        self.pushed = pushed
        self.repository = repository
        self.branch = branch
    }

    /// How a container's message starts when its write-back failed.
    static let failurePrefix = "write-back failed: "

    /// The Status column: `Committed <short sha>` until the Deployment runs the tag.
    var summary: String {
        guard pushed else { return "Committing \(written)" }
        return "Committed \(sha.map { String($0.prefix(7)) } ?? written)"
    }

    var message: String {
        let place = "\(repository) (branch \(branch))"
        guard pushed else { return "committing \(written) to \(place)" }
        guard let sha else {
            return "\(place) already holds \(written); the GitOps engine rolls it out"
        }
        return "committed \(written) to \(place) as \(sha); the GitOps engine rolls it out"
    }

    /// Sets a status entry's write-back fields: the record's, a failure's, or — once the Deployment
    /// runs the committed tag — the commit that brought it.
    static func apply(
        _ record: CommitRecord?, failure: SpecProblem?, to entry: inout VersioningHandler.ContainerVersion,
        check: ContainerCheck, previous: VersioningHandler.ContainerVersion?
    ) {
        if let failure {
            entry.action = .error
            entry.message = failurePrefix + failure.message
        } else if let record {
            entry.action = .committed
            entry.message = record.message
            entry.commit = record.sha
            entry.committedTag = record.written
        } else if let previous,
            previous.committedTag == check.currentTag
                || (previous.committedTag != nil && previous.committedTag == check.runningDigest)
        {
            entry.commit = previous.commit
            entry.committedTag = previous.committedTag
        }
    }
}
