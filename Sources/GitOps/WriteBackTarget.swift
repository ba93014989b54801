/// Where and how a VersioningHandler's findings are committed: a repository, a branch, a path in it,
/// the writer, and the credentials.
package struct WriteBackTarget: Sendable, Hashable {
    /// `https://…`, `http://…` (loopback and tests), `ssh://…`, `git@host:path` or `git://…` (never a local path).
    package var repository: String
    package var branch: String
    /// A directory (kustomize; marker) or a file (marker), relative to the repository's root.
    package var path: String
    package var writer: WriterKind
    package var credentials: GitCredentials

    package init(
        repository: String, branch: String, path: String, writer: WriterKind, credentials: GitCredentials = .anonymous
    ) {
        self.repository = repository
        self.branch = branch
        self.path = path
        self.writer = writer
        self.credentials = credentials
    }

    /// Checks what git would otherwise misread (an option-like URL, a path leaving the repository, a
    /// branch name git refuses, credentials in the URL).
    ///
    /// - Throws: ``GitCommandError/Kind/invalidTarget`` with a message naming the field.
    package func validate() throws(GitCommandError) {
        let url = repository
        let schemes = ["https://", "http://", "ssh://", "git://"]
        let scpLike = url.wholeMatch(of: #/[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s]+/#) != nil
        guard !url.hasPrefix("-"), !url.contains(where: \.isWhitespace),
            schemes.contains(where: url.hasPrefix) || scpLike
        else {
            throw GitCommandError(
                .invalidTarget,
                "spec.writeBack.repository \"\(GitCommandRunner.redact(url, secrets: []))\" is not a Git URL "
                    + "(https://, ssh://, git@host:path)")
        }
        if let scheme = schemes.first(where: url.hasPrefix), scheme.hasPrefix("http") {
            let authority = url.dropFirst(scheme.count).prefix { $0 != "/" }
            guard !authority.contains("@") else {
                throw GitCommandError(
                    .invalidTarget,
                    "spec.writeBack.repository carries credentials in the URL; put them in the Secret named by "
                        + "spec.writeBack.secretRef instead")
            }
        }
        let branchOK =
            !branch.isEmpty && !branch.hasPrefix("-") && !branch.hasPrefix("/") && !branch.hasSuffix("/")
            && !branch.hasSuffix(".lock") && !branch.contains("..") && !branch.contains("@{")
            && !branch.contains(where: {
                $0.isWhitespace || "~^:?*[\\".contains($0) || $0.asciiValue.map { $0 < 32 } == true
            })
        guard branchOK else {
            throw GitCommandError(.invalidTarget, "spec.writeBack.branch \"\(branch)\" is not a valid branch name")
        }
        guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
            throw GitCommandError(
                .invalidTarget,
                "spec.writeBack.path \"\(path)\" must be relative to the repository's root, without \"..\"")
        }
        if case .https = credentials, schemes.prefix(2).contains(where: url.hasPrefix) == false {
            throw GitCommandError(
                .invalidTarget, "the Secret holds an HTTPS username/token but the repository URL is not https://")
        }
        if case .ssh = credentials, url.hasPrefix("http") {
            throw GitCommandError(
                .invalidTarget, "the Secret holds an SSH key but the repository URL is https://; use an ssh:// URL")
        }
    }
}
