import Foundation
import KubeEmulator
import TestSupport
import Testing

/// The official Python `kubernetes` client (Debian's python3-kubernetes) against the HTTP front: it
/// sends `renewTime` as `datetime.isoformat()` (`…123456+00:00`), which a real API server accepts.
@Suite("Official Python client", .requires(.pythonModule("kubernetes")), .timeLimit(.minutes(2)))
struct PythonClientTests {
    static let script = """
        import datetime, json, sys
        from kubernetes import client, config

        config.load_kube_config(config_file=sys.argv[1])
        api = client.CoordinationV1Api()
        start = datetime.datetime(2026, 12, 4, 15, 12, 6, 123456, tzinfo=datetime.timezone.utc)
        lease = client.V1Lease(
            metadata=client.V1ObjectMeta(name="leader", namespace="default"),
            spec=client.V1LeaseSpec(holder_identity="a", lease_duration_seconds=15, acquire_time=start,
                                    renew_time=start))
        created = api.create_namespaced_lease("default", lease)
        created.spec.holder_identity = "b"
        created.spec.renew_time = start + datetime.timedelta(seconds=5)
        replaced = api.replace_namespaced_lease("leader", "default", created)
        patched = api.patch_namespaced_lease(
            "leader", "default", {"spec": {"renewTime": (start + datetime.timedelta(seconds=10)).isoformat()}})
        print(json.dumps({
            "created": created.metadata.resource_version is not None,
            "replacedHolder": replaced.spec.holder_identity,
            "replacedRenew": replaced.spec.renew_time.isoformat(),
            "patchedRenew": patched.spec.renew_time.isoformat(),
        }))
        """

    @Test("creates, replaces and patches a Lease with offset timestamps")
    func lease() async throws {
        try SystemTool.require(.pythonModule("kubernetes"))
        let emulator = Emulator()
        try await emulator.withHTTPServer { baseURL in
            let temporary = try TemporaryDirectory(prefix: "python-kubernetes")
            let directory = temporary.url
            let kubeconfig = directory.appendingPathComponent("kubeconfig")
            try emulator.kubeconfig(baseURL: baseURL).write(to: kubeconfig, atomically: true, encoding: .utf8)
            let script = directory.appendingPathComponent("lease.py")
            try Self.script.write(to: script, atomically: true, encoding: .utf8)
            let run = try await TestProcess.run(
                SystemTool.systemPython, arguments: [script.path, kubeconfig.path], directory: directory.path)
            #expect(run.status == 0, "\(run.output)")
            let line = try #require(run.output.split(separator: "\n").last { $0.hasPrefix("{") })
            let result = try JSON(parsing: String(line))
            #expect(result["replacedHolder"] == "b")
            #expect(result["replacedRenew"] == "2026-12-04T15:12:11.123456+00:00")
            #expect(result["patchedRenew"] == "2026-12-04T15:12:16.123456+00:00")
            let leases = try #require(
                await emulator.lookup(group: "coordination.k8s.io", version: "v1", plural: "leases"))
            let stored = try await emulator.get(leases, namespace: "default", name: "leader")
            #expect(stored[path: ["spec", "renewTime"]] == "2026-12-04T15:12:16.123456Z")
            #expect(stored[path: ["spec", "acquireTime"]] == "2026-12-04T15:12:06.123456Z")
        }
    }
}
