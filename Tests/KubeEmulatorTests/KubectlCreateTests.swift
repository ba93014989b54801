import Foundation
import KubeEmulator
import TestSupport
import Testing

/// `kubectl create <kind>` sends built-in kinds as protobuf; each must store what the JSON of the
/// same object stores. The JSON twin is kubectl's own `--dry-run=client -o json` of the same
/// command, sent back with `create -f` (unstructured objects always go as JSON).
@Suite("kubectl create over protobuf", .requires(.executable("kubectl")), .timeLimit(.minutes(3)))
struct KubectlCreateTests {
    private func withKubectl(_ body: @Sendable (Kubectl, Emulator) async throws -> Void) async throws {
        let emulator = Emulator()
        try await emulator.withHTTPServer { baseURL in
            try await body(try Kubectl(emulator: emulator, baseURL: baseURL), emulator)
        }
    }

    /// One `create` subcommand; cluster-scoped ones get the name as their last argument.
    struct Case: Sendable {
        var arguments: [String]
        var expected: String
        var clusterScoped = false
    }

    /// A self-signed certificate and key from openssl, for `create secret tls`.
    private static func certificate(in directory: URL) async throws -> (cert: String, key: String) {
        let openssl = try SystemTool.require("openssl")
        let cert = directory.appendingPathComponent("tls.crt").path
        let key = directory.appendingPathComponent("tls.key").path
        let result = try await TestProcess.capture(
            openssl,
            arguments: [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                "-out", cert, "-days", "1", "-subj", "/CN=shop.example",
            ])
        try #require(result.status == 0, "openssl req failed: \(result.stderr)")
        return (cert, key)
    }

    /// What must be equal between the two ways: everything but the server-assigned identity and,
    /// for cluster-scoped objects, the name (wherever it appears, e.g. a Namespace's name label).
    private static func comparable(_ text: String, dropName: Bool) throws -> JSON {
        var object = try JSON(parsing: text)
        for key in ["uid", "resourceVersion", "creationTimestamp", "namespace", "managedFields"] {
            object[path: ["metadata", key]] = nil
        }
        // Allocated by the server, so different for the two twins: a Service's cluster IP (unless
        // headless) and node ports.
        if object["kind"]?.stringValue == "Service" {
            if object[path: ["spec", "clusterIP"]]?.stringValue != "None" {
                object[path: ["spec", "clusterIP"]] = nil
                object[path: ["spec", "clusterIPs"]] = nil
            }
            if let ports = object[path: ["spec", "ports"]]?.arrayValue {
                object[path: ["spec", "ports"]] = .array(
                    ports.map { port in
                        var port = port
                        if let nodePort = port["nodePort"]?.intValue {
                            port["nodePort"] = .bool((30_000...32_767).contains(nodePort))
                        }
                        return port
                    })
            }
        }
        guard dropName, let name = object[path: ["metadata", "name"]]?.stringValue else { return object }
        func replacing(_ value: JSON) -> JSON {
            switch value {
            case .string(name): .string("NAME")
            case .array(let items): .array(items.map(replacing))
            case .object(let members): .object(members.mapValues(replacing))
            default: value
            }
        }
        return replacing(object)
    }

    @Test("every create subcommand of a served kind stores what JSON stores")
    func createSubcommands() async throws {
        try await withKubectl { kubectl, _ in
            let tls = try await Self.certificate(in: kubectl.home.url)
            for namespace in ["proto", "json"] {
                let created = try await kubectl.run("create", "namespace", namespace)
                #expect(created.status == 0, "\(created.error)")
                #expect(created.output == "namespace/\(namespace) created")
            }
            let cases: [Case] = [
                Case(arguments: ["namespace", "shop"], expected: "namespace/shop created", clusterScoped: true),
                Case(
                    arguments: [
                        "secret", "generic", "creds", "--from-literal=user=admin", "--from-literal=pass=s3cr3t",
                    ],
                    expected: "secret/creds created"),
                Case(
                    arguments: [
                        "secret", "docker-registry", "pull", "--docker-server=registry.example",
                        "--docker-username=robot", "--docker-password=pw", "--docker-email=robot@example.com",
                    ], expected: "secret/pull created"),
                Case(
                    arguments: ["secret", "tls", "web-tls", "--cert=\(tls.cert)", "--key=\(tls.key)"],
                    expected: "secret/web-tls created"),
                Case(
                    arguments: ["configmap", "settings", "--from-literal=mode=fast", "--from-literal=level=3"],
                    expected: "configmap/settings created"),
                Case(
                    arguments: ["deployment", "web", "--image=nginx:1.27", "--replicas=2", "--port=80"],
                    expected: "deployment.apps/web created"),
                Case(arguments: ["serviceaccount", "robot"], expected: "serviceaccount/robot created"),
                Case(
                    arguments: ["role", "reader", "--verb=get,list,watch", "--resource=pods,deployments.apps"],
                    expected: "role.rbac.authorization.k8s.io/reader created"),
                Case(
                    arguments: [
                        "rolebinding", "reader", "--role=reader", "--user=alice", "--serviceaccount=proto:robot",
                    ], expected: "rolebinding.rbac.authorization.k8s.io/reader created"),
                Case(
                    arguments: ["clusterrole", "node-reader", "--verb=get,list", "--resource=namespaces"],
                    expected: "clusterrole.rbac.authorization.k8s.io/node-reader created", clusterScoped: true),
                Case(
                    arguments: ["clusterrole", "aggregate", "--aggregation-rule=team=shop"],
                    expected: "clusterrole.rbac.authorization.k8s.io/aggregate created", clusterScoped: true),
                Case(
                    arguments: ["clusterrolebinding", "node-readers", "--clusterrole=node-reader", "--group=devs"],
                    expected: "clusterrolebinding.rbac.authorization.k8s.io/node-readers created", clusterScoped: true),
                Case(arguments: ["service", "clusterip", "web", "--tcp=80:8080"], expected: "service/web created"),
                Case(arguments: ["service", "clusterip", "db", "--clusterip=None"], expected: "service/db created"),
                Case(arguments: ["service", "nodeport", "edge", "--tcp=443:8443"], expected: "service/edge created"),
                Case(
                    arguments: ["service", "loadbalancer", "public", "--tcp=80:8080"],
                    expected: "service/public created"),
                Case(
                    arguments: ["service", "externalname", "upstream", "--external-name=api.example.com"],
                    expected: "service/upstream created"),
                Case(
                    arguments: ["poddisruptionbudget", "web", "--selector=app=web", "--min-available=1"],
                    expected: "poddisruptionbudget.policy/web created"),
            ]
            for item in cases {
                let scope = item.clusterScoped ? [] : ["-n", "proto"]
                let dryRun = try await kubectl.run(["create"] + item.arguments + scope + ["--dry-run=server"])
                #expect(dryRun.status == 0, "\(item.arguments): \(dryRun.error)")
                #expect(dryRun.output == item.expected + " (server dry run)")
                let stored = try await kubectl.run(["create"] + item.arguments + scope + ["-o", "json", "-v=8"])
                #expect(stored.status == 0, "\(item.arguments): \(stored.error)")
                #expect(
                    stored.error.contains("Content-Type: application/vnd.kubernetes.protobuf"),
                    "\(item.arguments) did not send protobuf")
                var jsonArguments = item.arguments
                if item.clusterScoped { jsonArguments[Self.nameIndex(item)] += "-json" }
                let twin = try await kubectl.run(
                    ["create"] + jsonArguments + (item.clusterScoped ? [] : ["-n", "json"])
                        + ["--dry-run=client", "-o", "json"])
                #expect(twin.status == 0, "\(twin.error)")
                let file = try kubectl.file("twin.json", twin.output)
                let viaJSON = try await kubectl.run(["create", "-f", file, "-o", "json", "-v=8"])
                #expect(viaJSON.status == 0, "\(item.arguments): \(viaJSON.error)")
                #expect(viaJSON.error.contains("Content-Type: application/json"))
                let (proto, json) = (
                    try Self.comparable(stored.output, dropName: item.clusterScoped),
                    try Self.comparable(viaJSON.output, dropName: item.clusterScoped)
                )
                #expect(proto == json, "\(item.arguments): \(proto.text) != \(json.text)")
            }
            let secret = try await kubectl.run(
                "get", "secret", "creds", "-n", "proto", "-o", "jsonpath={.type} {.data.user}")
            #expect(secret.output == "Opaque YWRtaW4=")
            let deployment = try await kubectl.run(
                "get", "deployment", "web", "-n", "proto", "-o",
                "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} "
                    + "{.spec.template.spec.containers[0].ports[0].containerPort}")
            #expect(deployment.output == "2 nginx:1.27 80")
            let role = try await kubectl.run(
                "get", "role", "reader", "-n", "proto", "-o", "jsonpath={.rules[*].resources}")
            #expect(role.output.contains("pods") && role.output.contains("deployments"))
            let services = try await kubectl.run("get", "services", "-n", "proto")
            let rows = services.output.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            let byName = Dictionary(rows.dropFirst().map { ($0[0], $0) }, uniquingKeysWith: { first, _ in first })
            #expect(byName["web"]?[1] == "ClusterIP" && byName["web"]?[2].hasPrefix("10.96.") == true)
            #expect(byName["web"]?[4] == "80/TCP")
            #expect(byName["db"]?[2] == "None")
            #expect(byName["edge"]?[1] == "NodePort" && byName["edge"]?[4].hasPrefix("443:3") == true)
            #expect(byName["public"]?[1] == "LoadBalancer")
            #expect(byName["upstream"]?[1] == "ExternalName" && byName["upstream"]?[3] == "api.example.com")
            let budget = try await kubectl.run(
                "get", "pdb", "web", "-n", "proto", "-o",
                "jsonpath={.spec.minAvailable} {.spec.selector.matchLabels.app}")
            #expect(budget.output == "1 web")
        }
    }

    private static func nameIndex(_ item: Case) -> Int { item.arguments[0] == "secret" ? 2 : 1 }
}
