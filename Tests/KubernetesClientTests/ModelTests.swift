import Foundation
import KubernetesClient
import Testing
import VersioningAPI

@Suite("Resource models")
struct ModelTests {
    static func canonical(_ data: Data) throws -> Data {
        let object = try JSONSerialization.jsonObject(with: data)
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    static func roundTrips<R: KubernetesResource>(_ type: R.Type, _ json: String) throws -> R {
        let decoded = try JSONDecoder().decode(R.self, from: Data(json.utf8))
        let encoded = try JSONEncoder().encode(decoded)
        #expect(try canonical(encoded) == canonical(Data(json.utf8)), "\(R.self) lost or changed a field")
        return decoded
    }

    @Test("a VersioningHandler with every spec and status field survives decode → encode unchanged")
    func versioningHandler() throws {
        let handler = try Self.roundTrips(
            VersioningHandler.self,
            #"""
            {"apiVersion":"k8supdater.io/v1","kind":"VersioningHandler",
             "metadata":{"name":"nginx-checker","namespace":"web","uid":"u","resourceVersion":"5","generation":2,
               "creationTimestamp":"2026-11-25T16:48:46Z","labels":{"k8supdater.io/shard":"k8supdater-1"},
               "finalizers":["kopf.zalando.org/KopfFinalizerMarker"],
               "ownerReferences":[{"apiVersion":"v1","kind":"Namespace","name":"web","uid":"n"}],
               "managedFields":[{"manager":"kubectl","operation":"Update","fieldsV1":{"f:spec":{}}}]},
             "spec":{"deployment":"nginx-deployment","containerregistry":"gitlab","frontier":1,"latestPreference":true,
               "mode":"NotifyOnly","refreshSeconds":60,"containers":["nginx"],"tagPattern":"^v(?P<version>.*)$",
               "gitlab":{"baseURL":"https://gitlab.example","projectID":42,"tokenSecretRef":{"name":"gl","key":"token"}},
               "credentialsSecretRef":{"name":"regcred"}},
             "status":{"shard":"k8supdater-1","observedGeneration":2,"lastChecked":"2026-11-25T17:00:00Z",
               "nextCheck":"2026-11-25T17:01:00Z","summary":"Updated 1.25.4",
               "containers":[{"name":"nginx","image":"nginx:1.25.4","current":"1.25.3","latestAllowed":"1.25.4",
                 "latestAvailable":"1.27.0","digest":"sha256:abc","action":"Updated","message":"m",
                 "lastTransitionTime":"2026-11-25T17:00:00Z"}],
               "notified":[{"key":"nginx/1.27","fingerprint":"f1","at":"2026-11-25T17:00:00Z"},{"key":"k","fingerprint":"f2"}],
               "conditions":[{"type":"Ready","status":"True","reason":"Checked","message":"ok",
                 "lastTransitionTime":"2026-11-25T17:00:00Z","observedGeneration":2}]}}
            """#)
        #expect(handler.spec.gitlab?.projectID == .int(42))
        #expect(handler.spec.mode == .notifyOnly)
        #expect(handler.status?.containers?.first?.action == .updated)
    }

    @Test("a Lease writes MicroTime with six digits and reads other widths")
    func lease() throws {
        let lease = try JSONDecoder().decode(
            Lease.self,
            from: Data(
                #"{"metadata":{"name":"l"},"spec":{"holderIdentity":"a","leaseDurationSeconds":15,"acquireTime":"2026-11-25T16:48:46Z","renewTime":"2026-11-25T16:48:46.123Z","leaseTransitions":2}}"#
                    .utf8))
        let text = String(decoding: try JSONEncoder().encode(lease), as: UTF8.self)
        #expect(text.contains(#""acquireTime":"2026-11-25T16:48:46.000000Z""#))
        #expect(text.contains(#""renewTime":"2026-11-25T16:48:46.123000Z""#))
    }

    @Test("an events.k8s.io Event with a series round-trips")
    func event() throws {
        let event = try Self.roundTrips(
            KubernetesEvent.self,
            #"""
            {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"nginx-checker.1","namespace":"web"},
             "eventTime":"2026-11-25T16:48:46.000000Z","series":{"count":3,"lastObservedTime":"2026-11-25T16:58:46.500000Z"},
             "reportingController":"k8supdater.io/operator","reportingInstance":"k8supdater-0","action":"Update",
             "reason":"Updated","regarding":{"apiVersion":"k8supdater.io/v1","kind":"VersioningHandler",
             "name":"nginx-checker","namespace":"web","uid":"u"},"note":"nginx 1.25.3 → 1.25.4","type":"Normal"}
            """#)
        #expect(event.series?.count == 3)
    }

    @Test("Deployments and Pods decode the fields the operator reads and ignore the rest")
    func partialModels() throws {
        let deployment = try JSONDecoder().decode(
            Deployment.self,
            from: Data(
                #"{"metadata":{"name":"d"},"spec":{"replicas":2,"strategy":{"type":"RollingUpdate"},"template":{"metadata":{"annotations":{"a":"b"}},"spec":{"containers":[{"name":"app","image":"nginx:1.25","ports":[{"containerPort":80}]}],"imagePullSecrets":[{"name":"regcred"}]}}},"status":{"readyReplicas":2,"conditions":[{"type":"Available","status":"True"}]}}"#
                    .utf8))
        #expect(deployment.spec?.template.spec.imagePullSecrets == [LocalObjectReference(name: "regcred")])
        #expect(deployment.spec?.template.metadata?.annotations == ["a": "b"])
        #expect(deployment.status?.conditions?.first?.type == "Available")
        let pod = try JSONDecoder().decode(
            Pod.self,
            from: Data(
                #"{"metadata":{"name":"p"},"status":{"phase":"Running","containerStatuses":[{"name":"app","image":"nginx:1.25","imageID":"docker.io/library/nginx@sha256:abc","ready":true,"restartCount":0,"state":{}}]}}"#
                    .utf8))
        #expect(pod.status?.containerStatuses?.first?.imageID == "docker.io/library/nginx@sha256:abc")
    }

    @Test("MetadataOnly keeps apiVersion, kind and metadata of a whole object and the kind's resource type")
    func metadataOnly() throws {
        let object = try JSONDecoder().decode(
            MetadataOnly<Deployment>.self,
            from: Data(
                #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","namespace":"apps","resourceVersion":"7","labels":{"k8supdater.io/shard":"op-1"}},"spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"app","image":"nginx:1.25"}]}}},"status":{"readyReplicas":2}}"#
                    .utf8))
        #expect(object.metadata.labels == ["k8supdater.io/shard": "op-1"])
        #expect(object.metadata.resourceVersion == "7")
        #expect(object.key == ObjectKey(namespace: "apps", name: "d"))
        #expect(MetadataOnly<Deployment>.resourceType == Deployment.resourceType)
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(object)) as? [String: Any]
        #expect(encoded?.keys.sorted() == ["apiVersion", "kind", "metadata"])
    }

    @Test("a Secret's data is base64 on the wire")
    func secret() throws {
        let secret = try Self.roundTrips(
            Secret.self,
            #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"type":"Opaque","data":{"token":"czNjcmV0"}}"#)
        #expect(secret.data?["token"] == Data("s3cret".utf8))
    }
}
