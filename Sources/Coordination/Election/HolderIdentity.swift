import Foundation

/// Who holds a Lease: the pod name plus a per-process (per-incarnation) UUID, `k8supdater-0_<uuid>`.
///
/// The stable part lets the coordinator map a shard Lease to its pod; the random part keeps a
/// force-deleted old pod and its replacement (or two incarnations of one process) from both
/// "renewing" one Lease (client-go's identity pitfall).
package struct HolderIdentity: Sendable, Hashable, CustomStringConvertible {
    package let podName: String
    package let incarnation: String

    package init(podName: String, incarnation: String = UUID().uuidString.lowercased()) {
        self.podName = podName
        self.incarnation = incarnation
    }

    /// The same pod with a fresh incarnation (after a lost Lease).
    package func nextIncarnation() -> HolderIdentity { HolderIdentity(podName: podName) }

    /// `<pod>_<uuid>`.
    package var description: String { "\(podName)_\(incarnation)" }

    /// The pod a holder identity names (`k8supdater-0_…` → `k8supdater-0`), or nil when it is not of
    /// that form (empty, or the coordinator's takeover identity).
    package static func podName(of holder: String?) -> String? {
        guard let holder, let underscore = holder.lastIndex(of: "_"), underscore != holder.startIndex else {
            return nil
        }
        let pod = holder[..<underscore]
        guard !pod.contains("/") else { return nil }
        return String(pod)
    }
}
