import Foundation
import KubernetesClient
import TestSupport
import Testing
import Transport
import Updater
import VersioningAPI

@Suite("KubernetesClient on the wire")
struct KubernetesClientWireTests {
    @Test("get sends GET to the item path with Accept, credentials and the k8supdater User-Agent")
    func getItem() async throws {
        let transport = ScriptedTransport([
            .init(
                .get, "/apis/k8supdater.io/v1/namespaces/web/versioninghandlers/nginx-checker",
                headers: Wire.common, absentHeaders: ["Content-Type"], reply: .json(Wire.vhJSON()))
        ])
        let handler = try await Wire.client(transport).get(VersioningHandler.self, name: "nginx-checker")
        #expect(handler.spec.deployment == "nginx-deployment")
        #expect(handler.metadata.creationTimestamp?.description == "2026-11-25T16:48:46Z")
        #expect(ClientConfiguration.defaultUserAgent.hasPrefix("k8supdater/\(BuildInfo.version) ("))
        transport.verify()
    }

    @Test("list sends selectors and limit as query parameters, encoded as client-go does")
    func listWithSelectors() async throws {
        let transport = ScriptedTransport([
            .init(
                .get, "/api/v1/namespaces/web/pods",
                query: ["labelSelector": "app in (shop,x)", "fieldSelector": "status.phase=Running", "limit": "2"],
                headers: Wire.common,
                reply: .json(#"{"kind":"PodList","metadata":{"resourceVersion":"9"},"items":[]}"#))
        ])
        let list = try await Wire.client(transport).list(
            Pod.self, in: "web",
            options: ListOptions(labelSelector: "app in (shop,x)", fieldSelector: "status.phase=Running", limit: 2))
        #expect(list.metadata.resourceVersion == "9")
        let url = try #require(transport.requests.first?.url)
        #expect(url.contains("labelSelector=app+in+%28shop%2Cx%29"))
        transport.verify()
    }

    @Test("listAll follows continue tokens and keeps the first page's resourceVersion")
    func listAllPages() async throws {
        let page1 = #"""
            {"metadata":{"resourceVersion":"50","continue":"tok1"},"items":[
              {"metadata":{"name":"a","namespace":"web","resourceVersion":"3"}}]}
            """#
        let page2 = #"""
            {"metadata":{"resourceVersion":"50"},"items":[{"metadata":{"name":"b","namespace":"web","resourceVersion":"4"}}]}
            """#
        let transport = ScriptedTransport([
            .init(.get, "/apis/coordination.k8s.io/v1/leases", query: ["limit": "1"], reply: .json(page1)),
            .init(
                .get, "/apis/coordination.k8s.io/v1/leases", query: ["limit": "1", "continue": "tok1"],
                reply: .json(page2)),
        ])
        let all = try await Wire.client(transport).listAll(Lease.self, pageSize: 1)
        #expect(all.items.map(\.metadata.name) == ["a", "b"])
        #expect(all.metadata.resourceVersion == "50")
        #expect(all.metadata.continue == nil)
        transport.verify()
    }

    @Test("create POSTs JSON with apiVersion, kind and namespace filled in, and fieldManager")
    func create() async throws {
        let body = #"""
            {"apiVersion":"k8supdater.io/v1","kind":"VersioningHandler",
             "metadata":{"name":"nginx-checker","namespace":"web"},
             "spec":{"containerregistry":"dockerhub","deployment":"nginx-deployment"}}
            """#
        let transport = ScriptedTransport([
            .init(
                .post, "/apis/k8supdater.io/v1/namespaces/web/versioninghandlers",
                query: ["fieldManager": "k8supdater"],
                headers: Wire.headers(contentType: "application/json"), body: Wire.json(body),
                reply: .json(Wire.vhJSON(), status: 201))
        ])
        var handler = VersioningHandler(
            metadata: ObjectMeta(name: "nginx-checker"),
            spec: .init(deployment: "nginx-deployment", containerregistry: .dockerhub))
        handler.apiVersion = nil
        let created = try await Wire.client(transport).create(handler)
        #expect(created.metadata.uid == "u-1")
        transport.verify()
    }

    @Test("update PUTs the whole object with its resourceVersion")
    func update() async throws {
        var lease = Lease(
            metadata: ObjectMeta(name: "k8supdater-coordinator", namespace: "ops", resourceVersion: "41"),
            spec: .init(holderIdentity: "pod-a", leaseDurationSeconds: 15))
        lease.spec?.renewTime = MicroTime(Date(timeIntervalSince1970: 1_764_089_326.5))
        let body = #"""
            {"apiVersion":"coordination.k8s.io/v1","kind":"Lease",
             "metadata":{"name":"k8supdater-coordinator","namespace":"ops","resourceVersion":"41"},
             "spec":{"holderIdentity":"pod-a","leaseDurationSeconds":15,"renewTime":"2025-11-25T16:48:46.500000Z"}}
            """#
        let transport = ScriptedTransport([
            .init(
                .put, "/apis/coordination.k8s.io/v1/namespaces/ops/leases/k8supdater-coordinator",
                query: ["fieldManager": "k8supdater"], headers: Wire.headers(contentType: "application/json"),
                body: Wire.json(body), reply: .json(body))
        ])
        _ = try await Wire.client(transport).update(lease)
        transport.verify()
    }

    @Test("update without a resourceVersion is refused before anything is sent")
    func updateNeedsResourceVersion() async throws {
        let transport = ScriptedTransport()
        let lease = Lease(metadata: ObjectMeta(name: "x", namespace: "ops"))
        await #expect(throws: KubernetesError.self) { try await Wire.client(transport).update(lease) }
        #expect(transport.requests.isEmpty)
    }

    @Test(
        "patch sends the Content-Type of its algorithm",
        arguments: [
            (
                Patch.merge(["metadata": ["labels": ["k8supdater.io/shard": "k8supdater-1"]]]),
                "application/merge-patch+json", #"{"metadata":{"labels":{"k8supdater.io/shard":"k8supdater-1"}}}"#
            ),
            (
                Patch.json([
                    .test(path: "/metadata/finalizers/0", value: "kopf.zalando.org/KopfFinalizerMarker"),
                    .remove(path: "/metadata/finalizers/0"),
                ]),
                "application/json-patch+json",
                #"[{"op":"test","path":"/metadata/finalizers/0","value":"kopf.zalando.org/KopfFinalizerMarker"},"#
                    + #"{"op":"remove","path":"/metadata/finalizers/0"}]"#
            ),
        ])
    func patch(patch: Patch, contentType: String, body: String) async throws {
        let transport = ScriptedTransport([
            .init(
                .patch, "/apis/k8supdater.io/v1/namespaces/web/versioninghandlers/nginx-checker",
                query: ["fieldManager": "k8supdater"], headers: Wire.headers(contentType: contentType),
                body: Wire.json(body), reply: .json(Wire.vhJSON()))
        ])
        _ = try await Wire.client(transport).patch(VersioningHandler.self, name: "nginx-checker", patch: patch)
        transport.verify()
    }

    @Test("a strategic merge patch of a Deployment's container image uses the strategic content type")
    func strategicMergePatch() async throws {
        let body = #"{"spec":{"template":{"spec":{"containers":[{"image":"nginx:1.25.4","name":"nginx"}]}}}}"#
        let transport = ScriptedTransport([
            .init(
                .patch, "/apis/apps/v1/namespaces/web/deployments/nginx-deployment",
                query: ["fieldManager": "k8supdater"],
                headers: Wire.headers(contentType: "application/strategic-merge-patch+json"), body: Wire.json(body),
                reply: .json(
                    #"{"metadata":{"name":"nginx-deployment","namespace":"web"},"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.25.4"}]}}}}"#
                ))
        ])
        let patched = try await Wire.client(transport).strategicMergePatch(
            Deployment.self, name: "nginx-deployment",
            patch: ["spec": ["template": ["spec": ["containers": [["name": "nginx", "image": "nginx:1.25.4"]]]]]])
        #expect(patched.spec?.template.spec.containers.first?.image == "nginx:1.25.4")
        transport.verify()
    }

    @Test("delete sends DeleteOptions with preconditions and propagationPolicy as a JSON body")
    func deleteWithPreconditions() async throws {
        let transport = ScriptedTransport([
            .init(
                .delete, "/apis/k8supdater.io/v1/namespaces/web/versioninghandlers/nginx-checker",
                headers: Wire.headers(contentType: "application/json"),
                body: Wire.json(
                    #"{"propagationPolicy":"Background","preconditions":{"uid":"u-1","resourceVersion":"7"}}"#),
                reply: .json(#"{"kind":"Status","apiVersion":"v1","status":"Success"}"#))
        ])
        let remaining = try await Wire.client(transport).delete(
            VersioningHandler.self, name: "nginx-checker",
            options: DeleteOptions(
                propagationPolicy: .background, preconditions: .init(uid: "u-1", resourceVersion: "7")))
        #expect(remaining == nil)
        transport.verify()
    }

    @Test("status verbs address the /status subresource")
    func statusVerbs() async throws {
        let transport = ScriptedTransport([
            .init(
                .get, "/apis/k8supdater.io/v1/namespaces/web/versioninghandlers/nginx-checker/status",
                headers: Wire.common, reply: .json(Wire.vhJSON())),
            .init(
                .put, "/apis/k8supdater.io/v1/namespaces/web/versioninghandlers/nginx-checker/status",
                query: ["fieldManager": "k8supdater"], headers: Wire.headers(contentType: "application/json"),
                body: Wire.json(
                    #"""
                    {"apiVersion":"k8supdater.io/v1","kind":"VersioningHandler",
                     "metadata":{"name":"nginx-checker","namespace":"web","resourceVersion":"7","uid":"u-1",
                                 "generation":1,"creationTimestamp":"2026-11-25T16:48:46Z"},
                     "spec":{"deployment":"nginx-deployment","containerregistry":"dockerhub"},
                     "status":{"shard":"k8supdater-0"}}
                    """#), reply: .json(Wire.vhJSON(resourceVersion: "8"))),
            .init(
                .patch, "/apis/k8supdater.io/v1/namespaces/web/versioninghandlers/nginx-checker/status",
                query: ["fieldManager": "k8supdater"],
                headers: Wire.headers(contentType: "application/merge-patch+json"),
                body: Wire.json(#"{"status":{"shard":"k8supdater-1"}}"#),
                reply: .json(Wire.vhJSON(resourceVersion: "9"))),
        ])
        let client = Wire.client(transport)
        var handler = try await client.getStatus(VersioningHandler.self, name: "nginx-checker")
        var status = VersioningHandler.Status()
        status.shard = "k8supdater-0"
        handler.status = status
        let updated = try await client.updateStatus(handler)
        #expect(updated.metadata.resourceVersion == "8")
        let patched = try await client.patchStatus(
            VersioningHandler.self, name: "nginx-checker", patch: .merge(["status": ["shard": "k8supdater-1"]]))
        #expect(patched.metadata.resourceVersion == "9")
        transport.verify()
    }

    @Test("watch asks for bookmarks from a resourceVersion and decodes events split across chunks")
    func watchStream() async throws {
        let added = Wire.vhJSON(resourceVersion: "8").replacingOccurrences(of: "\n", with: "")
        let lines =
            #"{"type":"ADDED","object":\#(added)}"# + "\n"
            + #"{"type":"BOOKMARK","object":{"kind":"VersioningHandler","metadata":{"resourceVersion":"12"}}}"# + "\n"
            + #"{"type":"ERROR","object":{"kind":"Status","status":"Failure","reason":"Expired","code":410}}"# + "\n"
        let bytes = Array(lines.utf8)
        let chunks = stride(from: 0, to: bytes.count, by: 37).map { Data(bytes[$0..<min($0 + 37, bytes.count)]) }
        let transport = ScriptedTransport([
            .init(
                .get, "/apis/k8supdater.io/v1/namespaces/web/versioninghandlers",
                query: [
                    "watch": "true", "resourceVersion": "7", "allowWatchBookmarks": "true", "timeoutSeconds": "290",
                ],
                headers: Wire.common, reply: .stream(status: 200, headers: [:], chunks: chunks, failure: nil))
        ])
        let stream = try await Wire.client(transport).watch(
            VersioningHandler.self, in: "web", options: WatchOptions(resourceVersion: "7", timeoutSeconds: 290))
        var seen: [String] = []
        for try await event in stream {
            switch event {
            case .added(let object): seen.append("added \(object.metadata.resourceVersion ?? "")")
            case .bookmark(let version): seen.append("bookmark \(version)")
            case .error(let status): seen.append("error \(status.code ?? 0)")
            default: seen.append("other")
            }
        }
        #expect(seen == ["added 8", "bookmark 12", "error 410"])
        transport.verify()
    }

    @Test("a watch refused with 410 throws gone")
    func watchRefused() async throws {
        let transport = ScriptedTransport([
            .init(
                .get, "/api/v1/pods", query: ["watch": "true", "resourceVersion": "3", "allowWatchBookmarks": "true"],
                reply: .json(
                    #"{"kind":"Status","status":"Failure","message":"too old resource version: 3 (90)","reason":"Expired","code":410}"#,
                    status: 410))
        ])
        await #expect {
            _ = try await Wire.client(transport).watch(Pod.self, options: WatchOptions(resourceVersion: "3"))
        } throws: { error in
            guard case KubernetesError.gone = error else { return false }
            return true
        }
        transport.verify()
    }

    @Test("cluster-scoped paths and core paths are built without a namespace segment")
    func paths() {
        let namespace = ResourceType(
            group: "", version: "v1", plural: "namespaces", kind: "Namespace", isNamespaced: false)
        #expect(ResourcePath.item(namespace, namespace: "ignored", name: "web") == "/api/v1/namespaces/web")
        #expect(ResourcePath.collection(Pod.resourceType, namespace: nil) == "/api/v1/pods")
        #expect(
            ResourcePath.item(Deployment.resourceType, namespace: "a b", name: "x/y", subresource: "scale")
                == "/apis/apps/v1/namespaces/a%20b/deployments/x%2Fy/scale")
    }
}
