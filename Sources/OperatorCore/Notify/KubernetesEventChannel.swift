package import Foundation
package import KubernetesClient
import Transport
package import Updater
import VersioningAPI

/// Publishes each notice as an `events.k8s.io/v1` Event on its VersioningHandler, so
/// `kubectl describe vh` shows it.
///
/// Reasons: `Updated`, `Restarted`, `UpdateAvailable` (type `Normal`) and `CheckFailed` (`Warning`);
/// the related object is the Deployment. The Event's name is derived from the handler and the
/// notice's fingerprint, so the same news again (a re-send round, A-B-A) finds its Event and bumps
/// `series.count` and `series.lastObservedTime` instead of creating another object.
package struct KubernetesEventChannel: NotificationChannel {
    package let name = "events"
    /// `reportingController`: a qualified name, as the API requires.
    package static let reportingController = "k8supdater.io/operator"

    private let client: KubernetesClient
    private let reportingInstance: String
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - reportingInstance: this replica (the pod name), at most 128 characters.
    ///   - now: the wall clock for `eventTime` and `series.lastObservedTime`.
    package init(client: KubernetesClient, reportingInstance: String, now: @escaping @Sendable () -> Date = { Date() })
    {
        self.client = client
        self.reportingInstance = String(reportingInstance.prefix(128))
        self.now = now
    }

    package func deliver(_ notice: Notice) async throws(NotificationError) {
        let eventName = Self.eventName(notice)
        let namespace = notice.finding.handler.namespace
        // A concurrent writer (another replica) can make create or the guarded patch lose; retry once.
        for attempt in 1...3 {
            do {
                let existing = try await client.get(KubernetesEvent.self, name: eventName, namespace: namespace)
                try await bumpSeries(of: existing)
                return
            } catch {
                guard case .notFound = error else {
                    if case .conflict = error, attempt < 3 { continue }
                    if case .invalid = error, attempt < 3 { continue }  // a failed `test`: changed meanwhile
                    throw notificationError(error)
                }
            }
            do {
                _ = try await client.create(makeEvent(notice, handlerUID: await handlerUID(notice)))
                return
            } catch {
                guard case .alreadyExists = error, attempt < 3 else { throw notificationError(error) }
            }
        }
    }

    /// The handler's uid, for `regarding.uid`: `kubectl describe` selects an object's Events by
    /// `involvedObject.uid` too, so an Event without it is not shown. Nil when it cannot be read (the
    /// Event is still written).
    private func handlerUID(_ notice: Notice) async -> String? {
        let handler = notice.finding.handler
        return try? await client.get(VersioningHandler.self, name: handler.name, namespace: handler.namespace)
            .metadata.uid
    }

    /// The Event for a notice's first occurrence.
    package func makeEvent(_ notice: Notice, handlerUID: String? = nil) -> KubernetesEvent {
        let finding = notice.finding
        var regarding = ObjectReference(
            apiVersion: VersioningHandler.resourceType.apiVersion, kind: VersioningHandler.resourceType.kind,
            name: finding.handler.name, namespace: finding.handler.namespace)
        regarding.uid = handlerUID
        var event = KubernetesEvent(
            metadata: ObjectMeta(name: Self.eventName(notice), namespace: finding.handler.namespace),
            eventTime: MicroTime(now()), reportingController: Self.reportingController,
            reportingInstance: reportingInstance, action: Self.action(finding.outcome),
            reason: finding.outcome.eventReason, regarding: regarding, note: Self.note(notice),
            type: finding.outcome.isFailure ? "Warning" : "Normal")
        event.related = ObjectReference(
            apiVersion: Deployment.resourceType.apiVersion, kind: Deployment.resourceType.kind,
            name: finding.deployment.name, namespace: finding.deployment.namespace)
        return event
    }

    /// `<handler>.<16 hex of the fingerprint>`: a DNS subdomain of at most 253 characters.
    package static func eventName(_ notice: Notice) -> String {
        let suffix = "." + notice.fingerprint.prefix(16)
        return String(notice.finding.handler.name.prefix(253 - suffix.count)) + suffix
    }

    /// Subject and action in one line, cut to the API's 1024 bytes.
    package static func note(_ notice: Notice) -> String {
        let text = notice.message.subject + ": " + (notice.message.lines.last?.value ?? "")
        var note = ""
        for character in text {
            guard note.utf8.count + character.utf8.count <= 1024 else { break }
            note.append(character)
        }
        return note
    }

    private static func action(_ outcome: Finding.Outcome) -> String {
        switch outcome {
        case .updated: "Update"
        case .restarted: "Restart"
        case .updateAvailable: "Notify"
        case .checkFailed: "Check"
        case .committed: "Commit"
        case .held: "Hold"
        case .rolledBack: "Rollback"
        }
    }

    /// Increments `series` with a JSON patch guarded by the Event's resourceVersion.
    private func bumpSeries(of event: KubernetesEvent) async throws(KubernetesError) {
        let series: JSON = [
            "count": .int((event.series?.count ?? 1) + 1),
            "lastObservedTime": .string(MicroTime(now()).description),
        ]
        var operations: [JSONPatchOperation] = []
        if let version = event.metadata.resourceVersion {
            operations.append(.test(path: "/metadata/resourceVersion", value: .string(version)))
        }
        operations.append(
            event.series == nil ? .add(path: "/series", value: series) : .replace(path: "/series", value: series))
        _ = try await client.patch(
            KubernetesEvent.self, name: event.metadata.name ?? "", namespace: event.metadata.namespace,
            patch: .json(operations))
    }

    private func notificationError(_ error: KubernetesError) -> NotificationError {
        let kind: NotificationError.Kind
        switch error {
        case .tooManyRequests(_, let delay): kind = .rateLimited(retryAfter: delay)
        case .transport(let transport):
            if case .cancelled = transport {
                kind = .cancelled
            } else {
                kind = .unreachable(retryable: transport.isRetryable)
            }
        default:
            kind = error.isRetryable ? .serverError(status: error.status?.code) : .rejected(status: error.status?.code)
        }
        return NotificationError(channel: name, kind: kind, message: error.description)
    }
}
