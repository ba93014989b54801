import KubernetesClient
import OperatorCore
import Testing
import Updater
import VersioningAPI

/// Which objects a replica checks at once when it first sees them (start-up, takeover, new incarnation)
/// and which wait for their scheduled check.
@Suite("Settled status: what a replica checks at once when it first sees an object")
struct SettledStatusTests {
    static func handler(
        generation: Int64 = 3, observed: Int64? = 3, shard: String? = "k8supdater-0", ready: String? = "True"
    ) -> VersioningHandler {
        var metadata = ObjectMeta(name: "web", namespace: "apps")
        metadata.generation = generation
        var status = VersioningHandler.Status()
        status.observedGeneration = observed
        status.shard = shard
        if let ready {
            status.conditions = [
                Condition(type: StatusReport.ready, status: ready, reason: "Checked"),
                Condition(type: StatusReport.degraded, status: ready == "True" ? "False" : "True", reason: "Checked"),
            ]
        }
        return VersioningHandler(
            metadata: metadata, spec: .init(deployment: "web", containerregistry: .dockerhub), status: status)
    }

    @Test("checked successfully at this generation by this replica: waits for its scheduled check")
    func settled() {
        #expect(StatusReport.isSettled(Self.handler(), by: "k8supdater-0"))
    }

    @Test("a last check that failed is checked again at once (its back-off and notification died with the work)")
    func failedLastCheck() {
        #expect(!StatusReport.isSettled(Self.handler(ready: "False"), by: "k8supdater-0"))
        #expect(!StatusReport.isSettled(Self.handler(ready: "Unknown"), by: "k8supdater-0"))
        #expect(!StatusReport.isSettled(Self.handler(ready: nil), by: "k8supdater-0"))
    }

    @Test("handed over from another replica, never checked, or changed since: checked at once")
    func notSettled() {
        #expect(!StatusReport.isSettled(Self.handler(shard: "k8supdater-1"), by: "k8supdater-0"))
        #expect(!StatusReport.isSettled(Self.handler(observed: nil), by: "k8supdater-0"))
        #expect(!StatusReport.isSettled(Self.handler(generation: 4), by: "k8supdater-0"))
        var fresh = Self.handler()
        fresh.status = nil
        #expect(!StatusReport.isSettled(fresh, by: "k8supdater-0"))
    }
}
