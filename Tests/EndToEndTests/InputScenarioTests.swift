import Foundation
import HTTPTypes
import Hummingbird
import KubeEmulator
import KubernetesClient
import TestSupport
import Testing
import VersioningAPI

/// Issue 15 item 7, one replica: the original's object YAML, and bad input that must end in conditions
/// with clear messages while other objects keep working and the process keeps running.
@Suite(
    "End to end: the original's objects and bad input", .serialized,
    .requires(.executable("kubectl"), .executable("docker-registry"), .executable("openssl"), .pythonModule("aiosmtpd"))
)
struct InputScenarioTests {
    typealias Cluster = EndToEndCluster

    static func condition(_ handler: VersioningHandler?, _ type: String) -> Condition? {
        handler?.status?.conditions?.first { $0.type == type }
    }

    @Test("the original operator's object YAML, with only apiVersion changed, is checked and updates its Deployment")
    func originalObject() async throws {
        try await Cluster.run { cluster in
            let repository = "\(cluster.registry.host)/library/nginx"
            try await cluster.seeder.pushImage("library/nginx", tag: "1.25.3")
            try await cluster.seeder.pushImage("library/nginx", tag: "1.25.4")
            try await cluster.apply(
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: nginx-deployment}
                spec:
                  selector: {matchLabels: {app: nginx}}
                  template:
                    metadata: {labels: {app: nginx}}
                    spec:
                      containers:
                        - {name: nginx, image: "\(repository):1.25.3", imagePullPolicy: Always}
                """)
            // The original README's object (yamls/object.yml), apiVersion k8supdater/v1 → k8supdater.io/v1.
            try await cluster.apply(
                """
                apiVersion: k8supdater.io/v1
                kind: VersioningHandler
                metadata:
                  name: nginx-checker
                spec:
                  deployment:
                    'nginx-deployment'
                  containerregistry:
                    'dockerhub'
                """)
            let process = try await cluster.startOperator()
            let updated = try await Cluster.eventually {
                try await cluster.image(of: "nginx-deployment", container: "nginx") == "\(repository):1.25.4"
            }
            #expect(updated, "\(process.output.suffix(3000))")
            let handler = try await cluster.handler("nginx-checker")
            #expect(handler.status?.shard == "k8supdater-0")
            #expect(Self.condition(handler, "Ready")?.status == "True")
            #expect(handler.status?.summary == "Updated 1.25.4")
            #expect(await process.terminate() == 0)
        }
    }

    @Test("bad input ends in conditions with clear messages; a good object is still updated; the process keeps running")
    func badInput() async throws {
        let garbage: @Sendable (Request, BasicRequestContext) async throws -> Response = { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(
                status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"tags\": [1, {")))
        }
        let hanging: @Sendable (Request, BasicRequestContext) async throws -> Response = { _, _ in
            try await Task.sleep(for: .seconds(3600))
            return Response(status: .ok)
        }
        try await LoopbackHTTPServer.withServer(responder: garbage) { garbageServer in
            try await LoopbackHTTPServer.withServer(responder: hanging) { hangingServer in
                let garbageHost = "127.0.0.1:\(garbageServer.port)"
                let hangingHost = "127.0.0.1:\(hangingServer.port)"
                try await Cluster.run(insecureRegistries: [garbageHost, hangingHost]) { cluster in
                    try await Self.badInput(cluster, garbageHost: garbageHost, hangingHost: hangingHost)
                }
            }
        }
    }

    static func badInput(_ cluster: Cluster, garbageHost: String, hangingHost: String) async throws {
        let repository = "\(cluster.registry.host)/team/good"
        try await cluster.seeder.pushImage("team/good", tag: "1.0.0")
        try await cluster.seeder.pushImage("team/other", tag: "1.0.0")
        // Refused by the CRD's schema, with the field named: never reaches the operator.
        let refused = try await cluster.kubectlResult(
            ["apply", "-f", try manifest(cluster, "containerregistry: quay")])
        #expect(refused.status != 0)
        #expect(refused.output.contains("spec.containerregistry"), "\(refused.output)")
        let tooOften = try await cluster.kubectlResult(
            ["apply", "-f", try manifest(cluster, "containerregistry: oci\n  refreshSeconds: 5")])
        #expect(tooOften.status != 0)
        #expect(tooOften.output.contains("spec.refreshSeconds"), "\(tooOften.output)")

        try await cluster.deployWatched("good", image: "\(repository):1.0.0")
        try await cluster.deployWatched(
            "pattern", image: "\(cluster.registry.host)/team/other:1.0.0", extraSpec: ["tagPattern: \"([\""])
        try await cluster.deployWatched(
            "names", image: "\(cluster.registry.host)/team/other:1.0.0", extraSpec: ["containers: [nope]"])
        try await cluster.deployWatched("junk", image: "\(garbageHost)/team/junk:1.0.0")
        try await cluster.deployWatched("slow", image: "\(hangingHost)/team/slow:1.0.0")
        try await cluster.apply(
            """
            apiVersion: k8supdater.io/v1
            kind: VersioningHandler
            metadata: {name: missing-updater, namespace: default}
            spec: {deployment: missing, containerregistry: oci, refreshSeconds: 10}
            """)
        let process = try await cluster.startOperator()
        try await cluster.seeder.pushImage("team/good", tag: "1.0.1")

        let expectations: [(object: String, reason: String, mentions: String)] = [
            ("missing-updater", "DeploymentNotFound", "\"missing\""),
            ("pattern-updater", "InvalidTagPattern", "spec.tagPattern"),
            ("names-updater", "ContainerNotFound", "\"nope\""),
            ("junk-updater", "RegistryMalformedResponse", garbageHost),
            ("slow-updater", "RegistryUnreachable", hangingHost),
        ]
        for expected in expectations {
            let found = await Cluster.eventually(.seconds(180)) {
                guard let handler = try? await cluster.handler(expected.object) else { return false }
                let text =
                    (handler.status?.conditions ?? []).map { "\($0.reason ?? "") \($0.message ?? "")" }.joined()
                    + (handler.status?.containers ?? []).map { $0.message ?? "" }.joined()
                return text.contains(expected.reason) && text.contains(expected.mentions)
            }
            let status = try? await cluster.handler(expected.object).status
            #expect(found, "\(expected.object): \(String(describing: status)); \(process.output.suffix(2000))")
            #expect(Self.condition(try await cluster.handler(expected.object), "Ready")?.status == "False")
        }
        let updated = try await Cluster.eventually {
            try await cluster.image(of: "good", container: "app") == "\(repository):1.0.1"
        }
        #expect(updated, "\(process.output.suffix(3000))")
        #expect(!process.process.hasExited, "\(process.output.suffix(3000))")
        #expect(await process.metrics() != nil)
        #expect(await process.terminate() == 0)
    }

    /// A VersioningHandler manifest with `spec` lines after `deployment:`, written to a file.
    static func manifest(_ cluster: Cluster, _ specLines: String) throws -> String {
        let path = "\(cluster.directory)/refused-\(UUID().uuidString).yaml"
        try """
        apiVersion: k8supdater.io/v1
        kind: VersioningHandler
        metadata: {name: refused, namespace: default}
        spec:
          deployment: good
          \(specLines)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
