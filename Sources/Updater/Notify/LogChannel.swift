package import Logging

/// Writes each notice as one structured swift-log record: the subject as the message and every fact
/// as metadata. Always configured. Failures are `warning`, news is `info`.
package struct LogChannel: NotificationChannel {
    package let name = "log"
    private let logger: Logger

    package init(logger: Logger) { self.logger = logger }

    package func deliver(_ notice: Notice) async throws(NotificationError) {
        let finding = notice.finding
        var metadata: Logger.Metadata = [
            "handler": "\(finding.handler)",
            "namespace": "\(finding.deployment.namespace)",
            "deployment": "\(finding.deployment.name)",
            "container": "\(finding.container)",
            "image": "\(finding.image)",
            "current": "\(finding.currentTag)",
            "reason": "\(finding.outcome.eventReason)",
            "action": "\(notice.message.lines.last?.value ?? "")",
            "fingerprint": "\(notice.fingerprint)",
        ]
        if let allowed = finding.newestAllowed { metadata["newestAllowed"] = "\(allowed)" }
        if let overall = finding.newestOverall { metadata["newestOverall"] = "\(overall)" }
        logger.log(
            level: finding.outcome.isFailure ? .warning : .info, "\(notice.message.subject)", metadata: metadata)
    }
}
