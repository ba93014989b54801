import Foundation
import Testing

@testable import KubeEmulator

/// Strategic merge patch follows the upstream `patchStrategy`/`patchMergeKey` of each list (from the
/// derived schema table), not a list's name: a Service's `ports` merge by `port`, a Container's by
/// `containerPort`, a ServiceAccount's `secrets` by `name`; lists without a strategy are replaced.
@Suite("Strategic merge patch by schema")
struct StrategicMergeSchemaTests {
    static let service = ServedResource(
        group: "", version: "v1", kind: "Service", plural: "services", singular: "service", namespaced: true)

    @Test("a Service's ports merge by port, a Pod's container ports by containerPort")
    func ports() throws {
        let original: JSON = [
            "spec": [
                "ports": [["name": "http", "port": 80, "targetPort": 8080], ["name": "https", "port": 443]],
                "selector": ["app": "web"],
            ]
        ]
        let patch: JSON = ["spec": ["ports": [["port": 80, "targetPort": 9090]]]]
        let schema = try #require(PatchSchema(Self.service))
        let patched = try StrategicMergePatch.apply(patch, to: original, schema: schema)
        #expect(
            patched[path: ["spec", "ports"]]
                == [["name": "http", "port": 80, "targetPort": 9090], ["name": "https", "port": 443]])

        let pods = try #require(ServedResource.builtIns.first { $0.kind == "Pod" })
        let pod: JSON = [
            "spec": ["containers": [["name": "web", "ports": [["containerPort": 80, "protocol": "TCP"]]]]]
        ]
        let podPatch: JSON = ["spec": ["containers": [["name": "web", "ports": [["containerPort": 81]]]]]]
        let merged = try StrategicMergePatch.apply(podPatch, to: pod, schema: PatchSchema(pods))
        #expect(
            merged[path: ["spec", "containers"]]?.arrayValue?.first?["ports"]
                == [["containerPort": 80, "protocol": "TCP"], ["containerPort": 81]])
    }

    @Test("a ServiceAccount's secrets merge by name; a Role's rules are replaced", arguments: Emulator.Front.allCases)
    func serviceAccountSecrets(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let path = "/api/v1/namespaces/default/serviceaccounts"
            let created = try await client.post(
                path,
                [
                    "apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "robot"],
                    "secrets": [["name": "a"]],
                ])
            #expect(created.status == 201)
            let patched = try await client.patch(
                path + "/robot", ["secrets": [["name": "b"]]], type: "application/strategic-merge-patch+json")
            #expect(patched.status == 200)
            #expect(patched.json["secrets"] == [["name": "a"], ["name": "b"]])

            let roles = "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles"
            let rule: JSON = ["apiGroups": [""], "resources": ["pods"], "verbs": ["get"]]
            _ = try await client.post(
                roles,
                [
                    "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": ["name": "r"],
                    "rules": [rule],
                ])
            let other: JSON = ["apiGroups": [""], "resources": ["secrets"], "verbs": ["list"]]
            let replaced = try await client.patch(
                roles + "/r", ["rules": [other]], type: "application/strategic-merge-patch+json")
            #expect(replaced.json["rules"] == [other])
        }
    }
}
