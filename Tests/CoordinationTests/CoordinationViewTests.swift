import Coordination
import Foundation
import KubernetesClient
import Testing

@Suite("The coordinator's view of an object")
struct CoordinationViewTests {
    @Test("keeps name, namespace, resourceVersion, deletion mark and the shard and drain labels; drops the rest")
    func keepsWhatTheAssignmentReads() {
        var metadata = ObjectMeta(
            name: "web-updater", namespace: "apps",
            labels: [ShardLabels.shard: "k8supdater-1", ShardLabels.drain: "k8supdater-2", "team": "payments"],
            annotations: ["kubectl.kubernetes.io/last-applied-configuration": #"{"kind":"VersioningHandler"}"#],
            resourceVersion: "42")
        metadata.uid = "0b9e2c8e-6f7a-4d5e-9b1c-1f2e3d4c5b6a"
        metadata.generation = 3
        metadata.deletionTimestamp = KubeTime(Date(timeIntervalSince1970: 1_800_000_000))
        metadata.managedFields = [.object(["manager": .string("kubectl")])]
        let view = MetadataOnly<Lease>(metadata: metadata).coordinationView.metadata
        #expect(view.name == "web-updater" && view.namespace == "apps" && view.resourceVersion == "42")
        #expect(view.labels == [ShardLabels.shard: "k8supdater-1", ShardLabels.drain: "k8supdater-2"])
        #expect(view.deletionTimestamp == metadata.deletionTimestamp)
        #expect(view.annotations == nil && view.uid == nil && view.generation == nil && view.managedFields == nil)
        #expect(
            MetadataOnly<Lease>(metadata: ObjectMeta(name: "a", labels: ["team": "x"])).coordinationView.metadata.labels
                == nil)
    }
}
