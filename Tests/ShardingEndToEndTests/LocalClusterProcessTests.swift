import Foundation
import KubernetesClient
import LocalCluster
import TestSupport
import Testing
import Transport

#if canImport(Glibc)
    import Glibc
#endif

/// The local runner as a kubelet: the StatefulSet's Pods become `k8supdater run` processes with the
/// ServiceAccount's token; kill -9 restarts, `kubectl delete pod` replaces, `kubectl scale` stops.
@Suite("LocalCluster: StatefulSet Pods as processes", .serialized, .requires(.executable("kubectl")))
struct LocalClusterProcessTests {
    @Test("a Pod runs as a process with its ServiceAccount's rights; kill -9 restarts it and the Pod status says so")
    func runsAndRestarts() async throws {
        try await LocalClusterFixture.with(
            replicas: 1, arguments: LocalClusterFixture.shortLeases,
            restartBackoff: CrashLoopBackOff(initial: .milliseconds(100))
        ) { cluster in
            let started = await LocalClusterFixture.eventually { await cluster.readyPods().count == 1 }
            await cluster.expect(started)
            let pod = try #require(await cluster.runner.pod(named: "k8supdater-0"))
            let pid = try #require(pod.processID)

            // The process holds its Lease as the ServiceAccount, and the Pod reports Ready from /readyz.
            let lease = try await cluster.admin.get(Lease.self, name: "k8supdater-0", namespace: "k8supdater")
            #expect(lease.spec?.holderIdentity?.hasPrefix("k8supdater-0_") == true)
            // Polled: on a machine starved by the full suite the replica may miss a renew deadline of its
            // short Lease, take a new incarnation and be unready until its shard cache has listed again.
            let transport = try CurlTransport()
            let ready = await LocalClusterFixture.eventually {
                let readyz = try? await transport.send(HTTPRequest(url: "http://127.0.0.1:\(pod.httpPort)/readyz"))
                return readyz?.status == 200
            }
            let metrics = try await transport.send(HTTPRequest(url: "http://127.0.0.1:\(pod.httpPort)/metrics"))
            await transport.shutdown()
            #expect(ready, "/readyz never answered 200")
            #expect(metrics.status == 200)
            let reported = try await LocalClusterFixture.eventually {
                let stored = try await cluster.admin.get(
                    RunnablePod.self, name: "k8supdater-0", namespace: "k8supdater")
                return Self.isReady(stored) && stored.metadata.finalizers == [LocalStatefulSetRunner.finalizer]
            }
            #expect(reported)
            let forbidden = try await cluster.kubectl.run(
                "auth", "can-i", "delete", "deployments", "--as", "system:serviceaccount:k8supdater:k8supdater")
            #expect(forbidden.output.hasPrefix("no"), "the process's identity must not be an admin")

            kill(pid, SIGKILL)
            let restarted = await LocalClusterFixture.eventually {
                guard let now = await cluster.runner.pod(named: "k8supdater-0") else { return false }
                return now.restartCount == 1 && now.processID != nil && now.processID != pid && now.ready
            }
            await cluster.expect(restarted)
            let status = try await LocalClusterFixture.eventually {
                let stored = try await cluster.admin.get(
                    RunnablePod.self, name: "k8supdater-0", namespace: "k8supdater")
                let container = stored.status?["containerStatuses"]?.arrayValue?.first
                return container?["restartCount"]?.intValue == 1
                    && container?[path: ["lastState", "terminated", "signal"]]?.intValue == Int(SIGKILL)
                    && Self.isReady(stored)
            }
            #expect(status)
        }
    }

    @Test("kubectl delete pod: SIGTERM, the Pod stays Terminating until the process exited, then a new Pod runs")
    func deletePodReplacesTheProcess() async throws {
        try await LocalClusterFixture.with(replicas: 1, arguments: LocalClusterFixture.shortLeases) { cluster in
            let started = await LocalClusterFixture.eventually { await cluster.readyPods().count == 1 }
            await cluster.expect(started)
            let old = try #require(await cluster.runner.pod(named: "k8supdater-0"))
            let oldPID = try #require(old.processID)
            let deleted = try await cluster.kubectl.run("delete", "pod", "k8supdater-0", "-n", "k8supdater")
            #expect(deleted.status == 0, "\(deleted.output)")
            let replaced = await LocalClusterFixture.eventually {
                guard let now = await cluster.runner.pod(named: "k8supdater-0") else { return false }
                return now.uid != old.uid && now.processID != nil && now.ready
            }
            await cluster.expect(replaced)
            #expect(kill(oldPID, 0) != 0, "the old process has exited")
            let output = try String(contentsOfFile: try #require(old.logPaths.last), encoding: .utf8)
            #expect(output.contains("stopped"), "the old process stopped gracefully:\n\(output.suffix(1500))")
        }
    }

    @Test("kubectl scale to 0 stops the process and the Pod goes away")
    func scaleToZero() async throws {
        try await LocalClusterFixture.with(replicas: 2, arguments: LocalClusterFixture.shortLeases) { cluster in
            let started = await LocalClusterFixture.eventually { await cluster.readyPods().count == 2 }
            await cluster.expect(started)
            let pids = await cluster.runner.pods().compactMap(\.processID)
            let scaled = try await cluster.kubectl.run(
                "scale", "statefulset", "k8supdater", "-n", "k8supdater", "--replicas", "0")
            #expect(scaled.status == 0, "\(scaled.output)")
            let gone = try await LocalClusterFixture.eventually {
                let runnerPods = await cluster.runner.pods()
                return try await cluster.apiPods().isEmpty && runnerPods.isEmpty
            }
            #expect(gone)
            for pid in pids { #expect(kill(pid, 0) != 0, "process \(pid) has exited") }
        }
    }

    static func isReady(_ pod: RunnablePod) -> Bool {
        let conditions = pod.status?["conditions"]?.arrayValue ?? []
        let container = pod.status?["containerStatuses"]?.arrayValue?.first
        return conditions.contains { $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True" }
            && container?["ready"]?.boolValue == true
    }
}
