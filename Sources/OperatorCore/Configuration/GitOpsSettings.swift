import Foundation
package import GitOps

/// GitOps write-back settings (environment only; no flags): where working copies live and how
/// commits look. Used only by VersioningHandlers with `spec.writeBack`.
///
/// - `GITOPS_WORKDIR`: the working copies' directory (default `/var/lib/k8supdater/git`, an
///   `emptyDir` in the StatefulSet; the root filesystem is read-only).
/// - `GITOPS_MAX_WORKING_COPIES` (default 32) and `GITOPS_MAX_DISK_MB` (default 512): the working copy
///   bound (least recently used copies are removed).
/// - `GITOPS_AUTHOR_NAME` / `GITOPS_AUTHOR_EMAIL`: the commits' author and committer (default
///   `k8supdater <k8supdater@k8supdater.io>`).
/// - `GITOPS_COMMIT_TEMPLATE`: the message template (``CommitMessageTemplate``; `\n` in the value is a
///   newline).
package struct GitOpsSettings: Sendable, Hashable {
    package var workDirectory = "/var/lib/k8supdater/git"
    package var limits = WorkingCopyCache.Limits()
    package var author = GitSession.Author()
    package var template = CommitMessageTemplate()

    package init() {}

    /// Reads the `GITOPS_*` variables.
    ///
    /// - Throws: ``OperatorConfigurationError`` for a non-numeric bound or a relative directory.
    package static func load(environment: [String: String]) throws(OperatorConfigurationError) -> GitOpsSettings {
        var settings = GitOpsSettings()
        func text(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        func positive(_ name: String) throws(OperatorConfigurationError) -> Int? {
            guard let value = text(name) else { return nil }
            guard let number = Int(value), number > 0 else {
                throw OperatorConfigurationError(name, "expected a positive integer (got \"\(value)\")")
            }
            return number
        }
        if let directory = text("GITOPS_WORKDIR") {
            guard directory.hasPrefix("/"), !directory.contains("'"), !directory.contains(where: \.isNewline) else {
                throw OperatorConfigurationError(
                    "GITOPS_WORKDIR", "expected an absolute path without quotes or newlines (got \"\(directory)\")")
            }
            settings.workDirectory = directory
        }
        settings.limits = WorkingCopyCache.Limits(
            maxCount: try positive("GITOPS_MAX_WORKING_COPIES") ?? settings.limits.maxCount,
            maxBytes: (try positive("GITOPS_MAX_DISK_MB")).map { Int64($0) << 20 } ?? settings.limits.maxBytes)
        if let name = text("GITOPS_AUTHOR_NAME") { settings.author.name = name }
        if let email = text("GITOPS_AUTHOR_EMAIL") { settings.author.email = email }
        if let template = text("GITOPS_COMMIT_TEMPLATE") {
            settings.template = CommitMessageTemplate(template.replacingOccurrences(of: "\\n", with: "\n"))
        }
        return settings
    }
}
