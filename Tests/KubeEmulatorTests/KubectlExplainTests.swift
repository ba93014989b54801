import Foundation
import KubeEmulator
import TestSupport
import Testing

/// `kubectl explain` reads the OpenAPI v3 documents: built-in kinds from the derived table, custom
/// resources from their CRD's structural schema. kubectl's validation (`--validate=strict`, the
/// default) is the server's `fieldValidation=Strict`, which the same table answers for built-ins.
@Suite("kubectl explain and validation over OpenAPI v3", .requires(.executable("kubectl")), .timeLimit(.minutes(2)))
struct KubectlExplainTests {
    private func withKubectl(_ body: @Sendable (Kubectl, Emulator) async throws -> Void) async throws {
        let emulator = Emulator()
        try await emulator.withHTTPServer { baseURL in
            try await body(try Kubectl(emulator: emulator, baseURL: baseURL), emulator)
        }
    }

    /// The `FIELDS:` entries of explain's output as `name <type>[ -required-]`, whitespace collapsed.
    private static func fields(_ output: String) -> [String] {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(of: "FIELDS:") else { return [] }
        return lines[(start + 1)...].filter { $0.hasPrefix("  ") && !$0.hasPrefix("    ") && $0.contains("<") }
            .map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
    }

    @Test("explain a built-in field: deployment.spec.strategy and a container's required name")
    func builtIn() async throws {
        try await withKubectl { kubectl, _ in
            let strategy = try await kubectl.run("explain", "deployment.spec.strategy")
            #expect(strategy.status == 0, "\(strategy.error)")
            #expect(strategy.output.contains("KIND:       Deployment"))
            #expect(strategy.output.contains("FIELD: strategy <DeploymentStrategy>"))
            #expect(Self.fields(strategy.output) == ["rollingUpdate <RollingUpdateDeployment>", "type <string>"])
            let rolling = try await kubectl.run("explain", "deployment.spec.strategy.rollingUpdate")
            // IntOrString's schema is a string with format int-or-string, as upstream serves it.
            #expect(Self.fields(rolling.output) == ["maxSurge <string>", "maxUnavailable <string>"])
            let containers = try await kubectl.run("explain", "pods.spec.containers")
            #expect(Self.fields(containers.output).contains("name <string> -required-"))
            #expect(Self.fields(containers.output).contains("ports <[]ContainerPort>"))
            let crd = try await kubectl.run("explain", "crd.spec.versions.schema")
            #expect(Self.fields(crd.output) == ["openAPIV3Schema <JSONSchemaProps>"])
            let lease = try await kubectl.run("explain", "lease.spec")
            #expect(Self.fields(lease.output).contains("renewTime <string>"))
        }
    }

    @Test("explain a custom kind: vh.spec from the product CRD")
    func customResource() async throws {
        try await withKubectl { kubectl, _ in
            let crd = try await kubectl.run("apply", "-f", KubectlTests.crdPath)
            #expect(crd.status == 0, "\(crd.error)")
            // kubectl resolves short names from its discovery cache, which predates the CRD.
            #expect(try await kubectl.run("api-resources").output.contains("versioninghandlers"))
            let spec = try await kubectl.run("explain", "vh.spec")
            #expect(spec.status == 0, "\(spec.error)")
            #expect(spec.output.contains("KIND:       VersioningHandler"))
            let fields = Self.fields(spec.output)
            #expect(fields.contains("containerregistry <string> -required-"))
            #expect(fields.contains("deployment <string> -required-"))
            #expect(fields.contains("containers <[]string>"))
            #expect(spec.output.contains("enum: dockerhub, gitlab, oci"))
            let top = try await kubectl.run("explain", "vh")
            #expect(Self.fields(top.output).contains("metadata <ObjectMeta>"))
        }
    }

    @Test("the apps/v1 document keeps the strategic-merge extensions of PodSpec's lists")
    func patchExtensions() async throws {
        try await withKubectl { kubectl, _ in
            let root = try JSON(parsing: try await kubectl.run("get", "--raw", "/openapi/v3").output)
            let url = try #require(root[path: ["paths", "apis/apps/v1", "serverRelativeURL"]]?.stringValue)
            let document = try JSON(parsing: try await kubectl.run("get", "--raw", url).output)
            let schemas = try #require(document[path: ["components", "schemas"]])
            let deployment = try #require(schemas["io.k8s.api.apps.v1.Deployment"])
            #expect(
                deployment["x-kubernetes-group-version-kind"]
                    == [["group": "apps", "version": "v1", "kind": "Deployment"]])
            let containers = try #require(schemas[path: ["io.k8s.api.core.v1.PodSpec", "properties", "containers"]])
            #expect(containers["x-kubernetes-patch-strategy"] == "merge")
            #expect(containers["x-kubernetes-patch-merge-key"] == "name")
            let ports = try #require(schemas[path: ["io.k8s.api.core.v1.Container", "properties", "ports"]])
            #expect(ports["x-kubernetes-list-map-keys"] == ["containerPort", "protocol"])
            #expect(ports["x-kubernetes-patch-merge-key"] == "containerPort")
            #expect(schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]?["x-kubernetes-int-or-string"] == true)
        }
    }

    @Test("apply with a misspelt field of a built-in kind fails strict validation; --validate=false prunes it")
    func strictValidation() async throws {
        try await withKubectl { kubectl, _ in
            let manifest = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: typo
                spec:
                  selector:
                    matchLabels: {app: typo}
                  template:
                    metadata:
                      labels: {app: typo}
                    spec:
                      containers:
                      - name: web
                        image: nginx:1.27
                        imagePullPolicyy: Always
                """
            let file = try kubectl.file("typo.yaml", manifest)
            let strict = try await kubectl.run("apply", "-f", file)
            #expect(strict.status != 0)
            #expect(
                strict.error.contains(
                    #"strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolicyy""#),
                "\(strict.error)")
            let lenient = try await kubectl.run("apply", "--validate=false", "-f", file)
            #expect(lenient.status == 0, "\(lenient.error)")
            // (The last-applied-configuration annotation keeps the manifest as written, as on a cluster.)
            let stored = try await kubectl.run(
                "get", "deployment", "typo", "-o", "jsonpath={.spec.template.spec.containers[0]}")
            let container = try JSON(parsing: stored.output)
            #expect(container["imagePullPolicyy"] == nil)
            #expect(container["image"] == "nginx:1.27")
        }
    }
}
