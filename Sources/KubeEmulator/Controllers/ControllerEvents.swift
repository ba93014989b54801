import Foundation
import Logging

/// Events the built-in controllers record, written through `events.k8s.io/v1` (stored in the one
/// Event store, so `kubectl get events` and `kubectl describe` see them through `core/v1` as well)
/// with the legacy fields a controller-manager's recorder also fills (`source`, first/last timestamp,
/// count).
extension Emulator {
    /// The `reportingInstance` of the emulator's controllers.
    static let controllerInstance = "kube-controller-manager-emulator-node"

    func recordEvent(
        regarding object: JSON, reason: String, note: String, action: String, controller: String,
        type eventType: String = "Normal"
    ) {
        guard let eventsType = registry.lookup(group: "events.k8s.io", version: "v1", plural: "events") else { return }
        let namespace = object.namespace ?? "default"
        let now = Date()
        var nanos = UInt64(now.timeIntervalSince1970 * 1_000_000_000)
        while objects["/events"]?[
            Self.objectKey(namespace: namespace, name: "\(object.name).\(String(nanos, radix: 16))")]
            != nil
        {
            nanos += 1
        }
        let regardingKind = object["kind"]?.stringValue ?? ""
        let event: JSON = [
            "apiVersion": "events.k8s.io/v1", "kind": "Event",
            "metadata": [
                "name": .string("\(object.name).\(String(nanos, radix: 16))"), "namespace": .string(namespace),
            ],
            "eventTime": .string(Self.microTimestamp(now)), "reportingController": .string(controller),
            "reportingInstance": .string(Self.controllerInstance), "action": .string(action),
            "reason": .string(reason), "note": .string(note), "type": .string(eventType),
            "regarding": [
                "apiVersion": object["apiVersion"] ?? "", "kind": .string(regardingKind),
                "name": .string(object.name), "namespace": .string(namespace), "uid": .string(object.uid ?? ""),
                "resourceVersion": .string(object.resourceVersionString),
            ],
            "deprecatedSource": ["component": .string(controller)],
            "deprecatedFirstTimestamp": .string(Self.timestamp(now)),
            "deprecatedLastTimestamp": .string(Self.timestamp(now)), "deprecatedCount": 1,
        ]
        do {
            _ = try createSync(eventsType, namespace: namespace, body: event, dryRun: false)
        } catch {
            logger.warning("recording an event failed", metadata: ["reason": "\(reason)", "error": "\(error)"])
        }
    }

    /// RFC 3339 with six fractional digits, UTC (`metav1.MicroTime`).
    static func microTimestamp(_ date: Date = Date()) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let micros = Int(((date.timeIntervalSince1970 - seconds) * 1_000_000).rounded(.down))
        let whole = Date(timeIntervalSince1970: seconds).formatted(.iso8601).dropLast()
        let fraction = String(micros)
        return "\(whole).\(String(repeating: "0", count: max(0, 6 - fraction.count)))\(fraction)Z"
    }
}
