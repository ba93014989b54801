import GitOps
import Logging

extension OperatorRuntime {
    /// The write-back committer of this replica (working copies under `GITOPS_WORKDIR`).
    static func gitWriteBack(_ settings: GitOpsSettings, logger: Logger) -> GitWriteBack {
        GitWriteBack(
            cache: WorkingCopyCache(root: settings.workDirectory, limits: settings.limits), author: settings.author,
            template: settings.template, logger: logger)
    }
}
