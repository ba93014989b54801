import Foundation
import KubeEmulator
import TestSupport
import Testing

/// The real `/usr/bin/kubectl` (1.32 through the gcloud dispatcher) against the HTTP front.
@Suite("kubectl against the HTTP front", .requires(.executable("kubectl")), .timeLimit(.minutes(2)))
struct KubectlTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let crdPath = repositoryRoot.appendingPathComponent("yamls/crd/versioninghandlers.yaml").path

    static let handler = """
        apiVersion: k8supdater.io/v1
        kind: VersioningHandler
        metadata:
          name: nginx-checker
        spec:
          deployment: nginx-deployment
          containerregistry: dockerhub
        """

    static let statefulSet = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: web
        spec:
          serviceName: web
          replicas: 1
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: nginx
                image: nginx:1.27
        """

    private func withKubectl(_ body: @Sendable (Kubectl, Emulator) async throws -> Void) async throws {
        let emulator = Emulator()
        try await emulator.withHTTPServer { baseURL in
            try await body(try Kubectl(emulator: emulator, baseURL: baseURL), emulator)
        }
    }

    @Test("apply -f of the product CRD and an object, then get shows its printer columns")
    func applyAndGet() async throws {
        try await withKubectl { kubectl, _ in
            let crd = try await kubectl.run("apply", "-f", Self.crdPath)
            #expect(crd.status == 0, "\(crd.error)")
            #expect(
                crd.output.contains(
                    "customresourcedefinition.apiextensions.k8s.io/versioninghandlers.k8supdater.io created"))
            let object = try await kubectl.run("apply", "-f", try kubectl.file("vh.yaml", Self.handler))
            #expect(object.status == 0, "\(object.error)")
            let table = try await kubectl.run("get", "vh")
            #expect(table.status == 0, "\(table.error)")
            let header = table.output.split(separator: "\n").first.map(String.init) ?? ""
            #expect(
                header.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                    == "NAME DEPLOYMENT REGISTRY SHARD STATUS LAST CHECK AGE")
            #expect(table.output.contains("nginx-checker") && table.output.contains("nginx-deployment"))
            let invalid = try await kubectl.run(
                "apply", "-f",
                try kubectl.file("bad.yaml", Self.handler.replacingOccurrences(of: "dockerhub", with: "ftp")))
            #expect(invalid.status != 0)
            #expect(invalid.error.contains("Unsupported value: \"ftp\""))
        }
    }

    @Test("get -w prints a row for an event")
    func getWatch() async throws {
        try await withKubectl { kubectl, emulator in
            _ = try await kubectl.run("apply", "-f", Self.crdPath)
            let watch = try kubectl.start("get", "vh", "-w")
            var lines = watch.lines.makeAsyncIterator()
            let applied = try await kubectl.run("apply", "-f", try kubectl.file("vh.yaml", Self.handler))
            #expect(applied.status == 0, "\(applied.error)")
            var seen = false
            while let line = await lines.next() {
                if line.contains("nginx-checker") {
                    seen = true
                    break
                }
            }
            watch.stop()
            #expect(seen)
            _ = await watch.wait()
        }
    }

    @Test("scale statefulset changes replicas and Pods; re-apply uses strategic merge")
    func scaleAndReapply() async throws {
        try await withKubectl { kubectl, emulator in
            let sts = try kubectl.file("sts.yaml", Self.statefulSet)
            #expect(try await kubectl.run("apply", "-f", sts).status == 0)
            let scaled = try await kubectl.run("scale", "statefulset", "web", "--replicas=3")
            #expect(scaled.status == 0, "\(scaled.error)")
            #expect(scaled.output.contains("statefulset.apps/web scaled"))
            let pods = try await kubectl.run("get", "pods", "-o", "name")
            #expect(pods.output.split(separator: "\n") == ["pod/web-0", "pod/web-1", "pod/web-2"])
            let changed = try kubectl.file(
                "sts2.yaml", Self.statefulSet.replacingOccurrences(of: "nginx:1.27", with: "nginx:1.28"))
            let reapplied = try await kubectl.run("apply", "-f", changed)
            #expect(reapplied.status == 0, "\(reapplied.error)")
            let image = try await kubectl.run(
                "get", "sts", "web", "-o", "jsonpath={.spec.template.spec.containers[*].image}")
            #expect(image.output == "nginx:1.28")
            let yaml = try await kubectl.run("get", "sts", "web", "-o", "json")
            #expect(!yaml.output.contains("$setElementOrder"))
        }
    }

    @Test("patch: merge, json, strategic on built-ins, and 415 for strategic on a custom resource")
    func patch() async throws {
        try await withKubectl { kubectl, _ in
            _ = try await kubectl.run("apply", "-f", Self.crdPath)
            _ = try await kubectl.run("apply", "-f", try kubectl.file("vh.yaml", Self.handler))
            let merge = try await kubectl.run(
                "patch", "vh", "nginx-checker", "--type=merge", "-p", #"{"spec":{"frontier":1}}"#)
            #expect(merge.status == 0, "\(merge.error)")
            #expect(merge.output.contains("patched"))
            let strategic = try await kubectl.run("patch", "vh", "nginx-checker", "-p", #"{"spec":{"frontier":2}}"#)
            #expect(strategic.status != 0)
            #expect(strategic.error.contains("application/strategic-merge-patch+json is not supported"))
            let status = try await kubectl.run(
                "patch", "vh", "nginx-checker", "--subresource=status", "--type=merge", "-p",
                #"{"status":{"shard":"k8supdater-1"}}"#)
            #expect(status.status == 0, "\(status.error)")
            let shard = try await kubectl.run("get", "vh", "nginx-checker", "-o", "jsonpath={.status.shard}")
            #expect(shard.output == "k8supdater-1")
            _ = try await kubectl.run("apply", "-f", try kubectl.file("sts.yaml", Self.statefulSet))
            let json = try await kubectl.run(
                "patch", "sts", "web", "--type=json", "-p", #"[{"op":"replace","path":"/spec/replicas","value":2}]"#)
            #expect(json.status == 0, "\(json.error)")
            let smp = try await kubectl.run(
                "patch", "sts", "web", "-p",
                #"{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.29"}]}}}}"#)
            #expect(smp.status == 0, "\(smp.error)")
        }
    }

    @Test("delete of an object with a finalizer waits until the finalizer is removed")
    func deleteWaitsForFinalizer() async throws {
        try await withKubectl { kubectl, emulator in
            let held = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: held
                  finalizers: [example.com/hold]
                data: {a: "1"}
                """
            #expect(try await kubectl.run("apply", "-f", try kubectl.file("cm.yaml", held)).status == 0)
            let type = try #require(await emulator.lookup(group: "", version: "v1", plural: "configmaps"))
            var options = Emulator.WatchOptions()
            options.fieldSelector = try FieldSelector(parsing: "metadata.name=held", for: type)
            let events = await emulator.watch(type, namespace: "default", options: options)
            let deletion = try kubectl.start("delete", "configmap", "held")
            var deleting = false
            for await event in events where event.object.isDeleting {
                deleting = true
                break
            }
            #expect(deleting)
            #expect(deletion.process.isRunning)
            let released = try await kubectl.run(
                "patch", "configmap", "held", "--type=json", "-p", #"[{"op":"remove","path":"/metadata/finalizers"}]"#)
            #expect(released.status == 0, "\(released.error)")
            #expect(await deletion.wait() == 0)
            #expect(try await kubectl.run("get", "configmap", "held").status != 0)
        }
    }
}
