import Foundation
import KubeEmulator
import TestSupport
import Testing

/// A first session's everyday kubectl 1.32 commands against the HTTP front: ReplicaSets and rollouts,
/// Events, Nodes, Services, PodDisruptionBudgets, `auth can-i` and `create token`.
@Suite("kubectl: a cluster's everyday commands", .requires(.executable("kubectl")), .timeLimit(.minutes(3)))
struct KubectlClusterTests {
    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          annotations:
            kubernetes.io/change-cause: first release
        spec:
          replicas: 3
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: nginx:1.25
        """

    private func withKubectl(_ body: @Sendable (Kubectl, Emulator, String) async throws -> Void) async throws {
        let emulator = Emulator()
        try await emulator.withHTTPServer { baseURL in
            try await body(try Kubectl(emulator: emulator, baseURL: baseURL), emulator, baseURL)
        }
    }

    /// The rows of a kubectl table, cells split on runs of spaces.
    static func rows(_ output: String) -> [[String]] {
        output.split(separator: "\n").map { line in
            line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        }
    }

    static func run(_ kubectl: Kubectl, _ arguments: String...) async throws -> String {
        let result = try await kubectl.run(arguments)
        #expect(result.status == 0, "kubectl \(arguments.joined(separator: " ")): \(result.error)")
        return result.output
    }

    @Test("get rs, rollout status/history/undo/restart, describe with Events, get events")
    func rollouts() async throws {
        try await withKubectl { kubectl, _, _ in
            let manifest = try kubectl.file("web.yaml", Self.deployment)
            #expect(try await Self.run(kubectl, "apply", "-f", manifest) == "deployment.apps/web created")
            let status = try await Self.run(kubectl, "rollout", "status", "deployment/web", "--timeout=60s")
            #expect(status.contains("deployment \"web\" successfully rolled out"))

            let replicaSets = Self.rows(try await Self.run(kubectl, "get", "rs"))
            #expect(replicaSets.first == ["NAME", "DESIRED", "CURRENT", "READY", "AGE"])
            let first = try #require(replicaSets.dropFirst().first)
            #expect(first.count == 5 && first[0].hasPrefix("web-") && Array(first[1...3]) == ["3", "3", "3"])
            let firstName = first[0]
            let hash = try await Self.run(
                kubectl, "get", "rs", firstName, "-o", "jsonpath={.metadata.labels.pod-template-hash}")
            #expect(firstName == "web-\(hash)")
            let wide = Self.rows(try await Self.run(kubectl, "get", "rs", firstName, "-o", "wide"))
            #expect(wide.first?.suffix(3) == ["CONTAINERS", "IMAGES", "SELECTOR"])
            #expect(wide.last?.suffix(3) == ["web", "nginx:1.25", "app=web,pod-template-hash=\(hash)"])
            let owner = try await Self.run(
                kubectl, "get", "rs", firstName, "-o",
                "jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}")
            #expect(owner == "Deployment/web")
            let podOwners = try await Self.run(
                kubectl, "get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.ownerReferences[0].name}")
            #expect(podOwners.split(separator: " ").map(String.init) == [firstName, firstName, firstName])

            _ = try await Self.run(kubectl, "set", "image", "deployment/web", "web=nginx:1.27")
            _ = try await Self.run(
                kubectl, "annotate", "deployment/web", "kubernetes.io/change-cause=upgrade to 1.27", "--overwrite")
            #expect(
                try await Self.run(kubectl, "rollout", "status", "deployment/web", "--timeout=60s")
                    .contains("successfully rolled out"))
            let history = Self.rows(try await Self.run(kubectl, "rollout", "history", "deployment/web"))
            #expect(history.contains(["REVISION", "CHANGE-CAUSE"]))
            #expect(history.contains(["1", "first", "release"]))
            #expect(history.contains(["2", "upgrade", "to", "1.27"]))
            let revision2 = try await Self.run(kubectl, "rollout", "history", "deployment/web", "--revision=2")
            #expect(revision2.contains("Image:") && revision2.contains("nginx:1.27"))

            let undo = try await Self.run(kubectl, "rollout", "undo", "deployment/web")
            #expect(undo == "deployment.apps/web rolled back")
            let image = try await Self.run(
                kubectl, "get", "deployment", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}")
            #expect(image == "nginx:1.25")
            let revisions = Self.rows(try await Self.run(kubectl, "rollout", "history", "deployment/web"))
                .compactMap(\.first).filter { Int($0) != nil }
            #expect(revisions == ["2", "3"])
            let reused = try await Self.run(
                kubectl, "get", "rs", firstName, "-o",
                "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}")
            #expect(reused == "3")

            let restart = try await Self.run(kubectl, "rollout", "restart", "deployment/web")
            #expect(restart == "deployment.apps/web restarted")
            #expect(
                try await Self.run(kubectl, "rollout", "status", "deployment/web", "--timeout=60s")
                    .contains("successfully rolled out"))
            let afterRestart = Self.rows(try await Self.run(kubectl, "get", "rs")).dropFirst()
            #expect(afterRestart.count == 3)
            #expect(afterRestart.filter { $0[1] == "3" }.count == 1, "one ReplicaSet holds the replicas")
            let pods = try await Self.run(kubectl, "get", "pods", "-l", "app=web", "-o", "name")
            #expect(pods.split(separator: "\n").count == 3)

            let describe = try await Self.run(kubectl, "describe", "deployment", "web")
            #expect(describe.contains("NewReplicaSet:"))
            #expect(describe.contains("OldReplicaSets:"))
            #expect(describe.contains("Events:"))
            #expect(describe.contains("ScalingReplicaSet"))
            #expect(describe.contains("deployment-controller"))
            #expect(describe.contains("Scaled down replica set \(firstName)"))
            #expect(!describe.contains("Events:          <none>") && !describe.contains("Events:  <none>"))

            let events = try await Self.run(kubectl, "get", "events")
            #expect(Self.rows(events).first == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"])
            #expect(events.contains("SuccessfulCreate") && events.contains("replicaset/\(firstName)"))
            #expect(events.contains("ScalingReplicaSet") && events.contains("deployment/web"))
        }
    }

    @Test("get nodes, cluster-info, a headless Service, a ClusterIP Service and a PodDisruptionBudget")
    func clusterSurface() async throws {
        try await withKubectl { kubectl, _, baseURL in
            let nodes = Self.rows(try await Self.run(kubectl, "get", "nodes"))
            #expect(nodes.first == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"])
            let node = try #require(nodes.dropFirst().first)
            #expect(node[0] == "emulator-node" && node[1] == "Ready" && node[2] == "control-plane")
            #expect(node.last == "v1.32.0")
            let info = try await Self.run(kubectl, "cluster-info")
            #expect(info.contains("Kubernetes control plane"))
            #expect(info.contains(baseURL))

            let manifests = """
                apiVersion: v1
                kind: Service
                metadata:
                  name: db
                spec:
                  clusterIP: None
                  selector: {app: db}
                  ports:
                  - port: 5432
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  selector: {app: web}
                  ports:
                  - port: 80
                    targetPort: 8080
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata:
                  name: web
                spec:
                  minAvailable: 2
                  selector:
                    matchLabels: {app: web}
                """
            _ = try await Self.run(kubectl, "apply", "-f", try kubectl.file("web.yaml", Self.deployment))
            let applied = try await Self.run(kubectl, "apply", "-f", try kubectl.file("svc.yaml", manifests))
            #expect(applied.contains("service/db created"))
            #expect(applied.contains("service/web created"))
            #expect(applied.contains("poddisruptionbudget.policy/web created"))
            let services = Self.rows(try await Self.run(kubectl, "get", "services"))
            #expect(services.first == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"])
            #expect(services.contains { Array($0.prefix(5)) == ["db", "ClusterIP", "None", "<none>", "5432/TCP"] })
            let web = try #require(services.first { $0.first == "web" })
            #expect(web[1] == "ClusterIP" && web[2].hasPrefix("10.96.") && web[4] == "80/TCP")
            #expect(services.contains { $0.first == "kubernetes" && $0[2] == "10.96.0.1" })
            let budgets = Self.rows(try await Self.run(kubectl, "get", "pdb"))
            #expect(
                budgets.first == ["NAME", "MIN", "AVAILABLE", "MAX", "UNAVAILABLE", "ALLOWED", "DISRUPTIONS", "AGE"])
            #expect(budgets.dropFirst().first.map { Array($0.prefix(4)) } == ["web", "2", "N/A", "1"])
            #expect(
                try await Self.run(kubectl, "get", "serviceaccount", "default", "-o", "name")
                    == "serviceaccount/default")
        }
    }

    @Test("auth can-i --as a ServiceAccount; create token and a request it may and one it may not make; create service")
    func authorization() async throws {
        try await withKubectl { kubectl, emulator, baseURL in
            let rbac = """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: shop
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: reader
                  namespace: shop
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata:
                  name: config-reader
                  namespace: shop
                rules:
                - apiGroups: [""]
                  resources: ["configmaps"]
                  verbs: ["get", "list"]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata:
                  name: reader
                  namespace: shop
                roleRef:
                  apiGroup: rbac.authorization.k8s.io
                  kind: Role
                  name: config-reader
                subjects:
                - kind: ServiceAccount
                  name: reader
                  namespace: shop
                """
            _ = try await Self.run(kubectl, "apply", "-f", try kubectl.file("rbac.yaml", rbac))
            let account = "--as=system:serviceaccount:shop:reader"
            let yes = try await kubectl.run("auth", "can-i", "list", "configmaps", "-n", "shop", account)
            #expect(yes.status == 0, "\(yes.error)")
            #expect(yes.output == "yes")
            let no = try await kubectl.run("auth", "can-i", "delete", "configmaps", "-n", "shop", account)
            #expect(no.status == 1)
            #expect(no.output == "no")
            let elsewhere = try await kubectl.run("auth", "can-i", "list", "configmaps", "-n", "default", account)
            #expect(elsewhere.output == "no")
            let secrets = try await kubectl.run("auth", "can-i", "get", "secrets", "-n", "shop", account)
            #expect(secrets.output == "no")

            let token = try await Self.run(kubectl, "create", "token", "reader", "-n", "shop")
            #expect(token.split(separator: ".").count == 3)
            let configMap = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, namespace: shop}
                data: {a: "1"}
                """
            _ = try await Self.run(kubectl, "apply", "-f", try kubectl.file("cm.yaml", configMap))
            // kubectl sends no credentials to a plain-HTTP server (client-go reads a user's auth only for
            // TLS), so the token is used through the project's HTTP client against the same front.
            try await withHTTPClient { transport in
                let reader = Client(emulator: emulator, transport: transport, baseURL: baseURL, token: token)
                let allowed = try await reader.get("/api/v1/namespaces/shop/configmaps/settings")
                #expect(allowed.status == 200)
                #expect(allowed.json[path: ["data", "a"]] == "1")
                let forbidden = try await reader.get("/api/v1/namespaces/shop/secrets")
                #expect(forbidden.status == 403)
                let message =
                    "secrets is forbidden: User \"system:serviceaccount:shop:reader\" cannot list resource "
                    + "\"secrets\" in API group \"\" in the namespace \"shop\""
                #expect(forbidden.json["message"] == .string(message))
                let whoami = try await reader.post(
                    "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                    ["apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"])
                #expect(whoami.json[path: ["status", "userInfo", "username"]] == "system:serviceaccount:shop:reader")
            }
            // The enforcing path agrees with can-i, through impersonation.
            let listed = try await Self.run(kubectl, "get", "configmaps", "-n", "shop", account, "-o", "name")
            #expect(listed == "configmap/settings")
            let refused = try await kubectl.run("get", "secrets", "-n", "shop", account)
            #expect(refused.status != 0)
            #expect(
                refused.error.contains(
                    "Error from server (Forbidden): secrets is forbidden: User \"system:serviceaccount:shop:reader\""))
            let whoami = try await Self.run(kubectl, "auth", "whoami", account)
            #expect(whoami.contains("system:serviceaccount:shop:reader"))

            // kubectl sends built-in kinds it creates itself as protobuf.
            let service = try await Self.run(kubectl, "create", "service", "clusterip", "api", "--tcp=80:8080")
            #expect(service == "service/api created")
            let row = try #require(Self.rows(try await Self.run(kubectl, "get", "service", "api")).dropFirst().first)
            #expect(row[1] == "ClusterIP" && row[2].hasPrefix("10.96.") && row[4] == "80/TCP")
            let target = try await Self.run(
                kubectl, "get", "service", "api", "-o", "jsonpath={.spec.ports[0].targetPort}")
            #expect(target == "8080")
        }
    }
}
