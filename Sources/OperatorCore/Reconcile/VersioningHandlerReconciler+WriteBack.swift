import ControllerRuntime
import Foundation
import GitOps
import KubernetesClient
import Logging
import Updater
import VersioningAPI

extension VersioningHandlerReconciler {
    /// `spec.writeBack`: commits each change to Git instead of patching the Deployment.
    ///
    /// Expected flow: resolve the target and its Secret → status with each change as "Committing"
    /// (or as what the last attempt found: the commit recorded for the same tag, or its failure),
    /// guarded by the object's resourceVersion — a replica that lost the object stops here when the
    /// status changes → one commit per finding (``GitWriteBack``) → status with the pushed SHAs →
    /// notifications carrying the commit. (Two replicas racing cannot double a commit either: the
    /// loser's push is not a fast-forward, and re-applied on the new head its change is already there.)
    ///
    /// Guarantees:
    /// - The Deployment is never written.
    /// - A crash between the push and the status write commits nothing twice: the next owner finds
    ///   the change in the branch (no commit) and records the commit found by its trailer.
    /// - Git errors become `Ready=False` with a `WriteBack…` reason and a container `Error`; those a
    ///   person must fix (refused credentials, protected branch, missing path or marker) are not
    ///   retried before the next scheduled check (no retry storm against the Git server).
    func reconcileWriteBack(
        _ writeBack: VersioningHandler.WriteBack, handler: VersioningHandler, target: CheckTarget,
        checks: [ContainerCheck], owner: Finding.ObjectName, now: Date, context: ReconcileContext
    ) async throws(ReconcileError) -> ReconcileAction {
        let namespace = owner.namespace
        let mode = target.effective.mode.rawValue
        let deployment = Finding.ObjectName(namespace: namespace, name: handler.spec.deployment)
        let resolved: WriteBackTarget
        let resolution: Result<WriteBackTarget, CheckTarget.Failure>
        if gitWriteBack == nil {
            resolution = .failure(
                .problem(
                    SpecProblem(
                        reason: "WriteBackUnavailable",
                        message: "this operator runs without Git write-back; remove spec.writeBack or enable it")))
        } else {
            resolution = await WriteBackResolution.resolve(
                writeBack, namespace: namespace, client: client, secrets: secrets,
                maxAge: settings.interval(of: handler.spec))
        }
        switch resolution {
        case .failure(.problem(let problem)):
            context.logger.info("write-back target cannot be used", metadata: ["reason": "\(problem.reason)"])
            let report = StatusReport.invalid(problem, handler: handler, shard: settings.shard, now: now)
            _ = try await writeStatus(report, of: handler, now: now, context: context)
            let finding = Finding(
                handler: owner, deployment: deployment, container: "(spec)",
                image: "(spec.writeBack of VersioningHandler \(owner.name))", currentTag: "-",
                outcome: .checkFailed(Finding.CheckFailure(reason: problem.reason, message: problem.message)),
                observedAt: now)
            await notify([finding], owner: owner, context: context)
            return .retry
        case .failure(.api(let error)):
            throw .retryable("reading the write-back Secret of \(owner) failed", underlying: error)
        case .success(let value):
            resolved = value
        }
        let repository = GitCommandRunner.redact(resolved.repository, secrets: [])
        var changes: [(container: String, change: ImageChange, reason: String)] = []
        var commits: [String: CommitRecord] = [:]
        var failures: [String: SpecProblem] = [:]
        for check in checks where check.change != nil {
            switch Self.imageChange(check, handler: owner, frontier: target.effective.frontier) {
            case .success(let (change, reason)):
                let previous = handler.status?.containers?.first { $0.name == check.name }
                changes.append((check.name, change, reason))
                // Until this attempt says otherwise, the status keeps what the last one found (a
                // persistent failure does not flap through "Committing" and Ready=True each check).
                if let failure = Self.previousFailure(previous, handler: handler) {
                    failures[check.name] = failure
                    continue
                }
                let recorded = previous?.committedTag == change.written ? previous?.commit : nil
                commits[check.name] = CommitRecord(
                    written: change.written, sha: recorded, pushed: recorded != nil, repository: repository,
                    branch: resolved.branch)
            case .failure(let problem):
                failures[check.name] = problem
            }
        }
        // Status first: only the owner goes on to write to Git.
        var written = try await writeStatus(
            StatusReport.checked(
                checks, handler: handler, shard: settings.shard, mode: mode, commits: commits,
                writeBackFailures: failures, now: now),
            of: handler, now: now, context: context)
        var retryable = false
        for (container, change, reason) in changes {
            try context.checkCancellation()
            do {
                let result = try await gitWriteBack?.write(change, to: resolved, reason: reason)
                let previous = commits[container]
                failures[container] = nil
                commits[container] = CommitRecord(
                    written: change.written, sha: result?.sha ?? previous?.sha, pushed: true, repository: repository,
                    branch: resolved.branch)
                context.logger.info(
                    "write-back", metadata: ["container": "\(container)", "result": "\(String(describing: result))"])
            } catch {
                context.logger.warning(
                    "write-back failed", metadata: ["container": "\(container)", "error": "\(error.description)"])
                commits[container] = nil
                failures[container] = SpecProblem(reason: error.reason, message: error.message)
                retryable = retryable || error.isRetryable
            }
        }
        written = try await writeStatus(
            StatusReport.checked(
                checks, handler: written, shard: settings.shard, mode: mode, commits: commits,
                writeBackFailures: failures, now: now),
            of: written, now: now, context: context)
        let findings = checks.compactMap { check -> Finding? in
            var outcome = check.outcome
            if let failure = failures[check.name] {
                outcome = .checkFailed(Finding.CheckFailure(reason: failure.reason, message: failure.message))
            } else if let record = commits[check.name] {
                outcome = .committed(to: record.written, commit: record.sha ?? "already in \(record.branch)")
            }
            guard let outcome else { return nil }
            return Finding(
                handler: owner, deployment: deployment, container: check.name, image: check.reference.familiarName,
                currentTag: check.currentTag, newestAllowed: check.decision?.latestAllowed,
                newestOverall: check.decision?.latestAvailable, outcome: outcome, observedAt: now)
        }
        await notify(findings, owner: owner, context: context)
        if retryable || checks.contains(where: { $0.failure != nil }) { return .retry }
        return .done
    }

    /// The write-back failure the stored status reports for a container, if it reports one.
    static func previousFailure(_ entry: VersioningHandler.ContainerVersion?, handler: VersioningHandler)
        -> SpecProblem?
    {
        let prefix = CommitRecord.failurePrefix
        guard let entry, entry.action == .error, let message = entry.message, message.hasPrefix(prefix) else {
            return nil
        }
        let reason = handler.status?.conditions?.first { $0.type == StatusReport.ready }?.reason
        return SpecProblem(
            reason: reason.flatMap { $0.hasPrefix("WriteBack") || $0 == "InvalidWriteBackTarget" ? $0 : nil }
                ?? "CheckFailed",
            message: String(message.dropFirst(prefix.count)))
    }

    /// The Git change for one container's decision, with the reason for the commit message.
    static func imageChange(_ check: ContainerCheck, handler: Finding.ObjectName, frontier: Int)
        -> Result<(ImageChange, String), SpecProblem>
    {
        let reference = check.reference
        var aliases = [reference.familiarName, reference.name]
        aliases.removeAll { $0 == reference.writtenName }
        var change = ImageChange(
            name: reference.writtenName, aliases: aliases, oldTag: check.currentTag, newTag: check.currentTag,
            handler: handler.description, container: check.name)
        switch (check.change, check.outcome) {
        case (.setImage?, .updated(let tag)?):
            change.newTag = tag
            let overall = check.decision?.latestAvailable.map { ", newest overall \($0)" } ?? ""
            return .success(
                (change, "\(tag) is the newest version allowed by frontier \(frontier)\(overall)"))
        case (.restart?, _):
            guard let digest = check.registryDigest else {
                return .failure(
                    SpecProblem(
                        reason: "WriteBackNoDigest",
                        message: "the registry named no digest for \(check.currentTag), so there is nothing to pin"))
            }
            change.digest = digest
            return .success(
                (change, "the registry's \(check.currentTag) moved to \(digest) and latestPreference is true"))
        default:
            return .failure(
                SpecProblem(reason: "WriteBackUnsupported", message: "this change cannot be written to Git"))
        }
    }
}
