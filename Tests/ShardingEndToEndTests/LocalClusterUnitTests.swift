import Foundation
import KubernetesClient
import LocalCluster
import Testing

/// The runner's pure parts: a container's environment, command line and ports, restart back-off and
/// the Pod status it writes.
@Suite("LocalCluster: container configuration")
struct LocalClusterUnitTests {
    static let pod = RunnablePod(
        metadata: {
            var metadata = ObjectMeta(name: "k8supdater-1", namespace: "k8supdater", labels: ["app": "op"])
            metadata.uid = "uid-1"
            return metadata
        }(),
        spec: RunnablePod.Spec(containers: [], serviceAccountName: "k8supdater"))

    static func environment(secrets: [String: [String: String]] = [:], configMaps: [String: [String: String]] = [:])
        -> ContainerEnvironment
    {
        ContainerEnvironment(
            secret: { name in secrets[name].map { $0.mapValues { Data($0.utf8) } } },
            configMap: { name in configMaps[name] })
    }

    @Test("envFrom first (prefix, invalid names skipped, optional missing ignored), then env wins; fieldRef and $(VAR)")
    func environmentOrder() async throws {
        let container = RunnablePod.Container(
            name: "op",
            env: [
                .init(name: "POD_NAME", valueFrom: .init(fieldRef: .init(fieldPath: "metadata.name"))),
                .init(name: "POD_NAMESPACE", valueFrom: .init(fieldRef: .init(fieldPath: "metadata.namespace"))),
                .init(name: "APP", valueFrom: .init(fieldRef: .init(fieldPath: "metadata.labels['app']"))),
                .init(name: "EMAIL_HOST", value: "smtp.local"),
                .init(name: "GREETING", value: "$(POD_NAME) in $(POD_NAMESPACE) costs $$1, $(UNSET) stays"),
                .init(name: "TOKEN", valueFrom: .init(secretKeyRef: .init(name: "creds", key: "token"))),
                .init(name: "MAYBE", valueFrom: .init(secretKeyRef: .init(name: "none", key: "x", optional: true))),
            ],
            envFrom: [
                .init(secretRef: .init(name: "creds")), .init(prefix: "CM_", configMapRef: .init(name: "settings")),
                .init(secretRef: .init(name: "absent", optional: true)),
            ])
        let resolved = try await Self.environment(
            secrets: ["creds": ["EMAIL_HOST": "overridden", "token": "t0k", "1BAD": "x"]],
            configMaps: ["settings": ["MODE": "fast"]]
        ).resolve(container, in: Self.pod)
        let values = Dictionary(resolved, uniquingKeysWith: { _, last in last })
        #expect(values["POD_NAME"] == "k8supdater-1")
        #expect(values["POD_NAMESPACE"] == "k8supdater")
        #expect(values["APP"] == "op")
        #expect(values["EMAIL_HOST"] == "smtp.local")
        #expect(values["TOKEN"] == "t0k")
        #expect(values["CM_MODE"] == "fast")
        #expect(values["1BAD"] == nil)
        #expect(values["MAYBE"] == nil)
        #expect(values["GREETING"] == "k8supdater-1 in k8supdater costs $1, $(UNSET) stays")
        #expect(resolved.map(\.0).filter { $0 == "EMAIL_HOST" }.count == 1)
    }

    @Test("a missing required Secret, ConfigMap or key is CreateContainerConfigError")
    func missingSources() async throws {
        let environment = Self.environment(secrets: ["creds": ["a": "1"]])
        let cases: [RunnablePod.Container] = [
            .init(name: "op", envFrom: [.init(secretRef: .init(name: "absent"))]),
            .init(name: "op", envFrom: [.init(configMapRef: .init(name: "absent"))]),
            .init(name: "op", env: [.init(name: "X", valueFrom: .init(secretKeyRef: .init(name: "creds", key: "b")))]),
            .init(name: "op", env: [.init(name: "X", valueFrom: .init(fieldRef: .init(fieldPath: "spec.unknown")))]),
        ]
        for container in cases {
            await #expect(throws: LocalClusterError.self) { try await environment.resolve(container, in: Self.pod) }
        }
        do {
            _ = try await environment.resolve(cases[0], in: Self.pod)
        } catch let error as LocalClusterError {
            #expect(error.reason == "CreateContainerConfigError")
            #expect(error.description.contains("secret \"absent\" not found"))
        }
    }

    @Test(
        "the listen address is rewritten to the Pod's loopback port (both flag forms, or added), extra arguments appended"
    )
    func commandLine() throws {
        var next = 40000
        func allocate() -> Int {
            next += 1
            return next
        }
        let container = RunnablePod.Container(
            name: "op", command: ["/k8supdater"], args: ["run", "--log-format=json", "--metrics-address=0.0.0.0:8080"],
            ports: [.init(name: "http", containerPort: 8080)])
        let launch = try ContainerLaunch(
            container: container, extraArguments: ["--lease-duration", "3s"], allocate: allocate)
        #expect(
            launch.arguments == [
                "run", "--log-format=json", "--metrics-address=127.0.0.1:40001", "--lease-duration", "3s",
            ])
        #expect(launch.httpPort == 40001)
        #expect(launch.localPort(of: .string("http"), in: container) == 40001)
        #expect(launch.localPort(of: .int(8080), in: container) == 40001)

        let separate = try ContainerLaunch(
            container: .init(name: "op", args: ["run", "--metrics-address", "0.0.0.0:9090"]), extraArguments: [],
            allocate: allocate)
        #expect(separate.arguments == ["run", "--metrics-address", "127.0.0.1:40002"])
        let absent = try ContainerLaunch(
            container: .init(name: "op", args: ["run"]), extraArguments: [], allocate: allocate)
        #expect(absent.arguments == ["run", "--metrics-address", "127.0.0.1:40003"])
        #expect(absent.ports == [8080: 40003])
    }

    @Test("CrashLoopBackOff doubles up to the maximum and starts over after a long run")
    func backoff() {
        var backoff = CrashLoopBackOff(initial: .seconds(10), maximum: .seconds(300), reset: .seconds(600))
        let delays = (0..<7).map { _ in backoff.delay(afterRunOf: .seconds(1)) }
        #expect(delays == [10, 20, 40, 80, 160, 300, 300].map { Duration.seconds($0) })
        #expect(backoff.delay(afterRunOf: .seconds(600)) == .seconds(10))
    }

    @Test(
        "the status patch sets the container's state, restarts and readiness, and moves a condition's time only on change"
    )
    func statusPatch() throws {
        let earlier = "2026-01-01T00:00:00Z"
        var pod = Self.pod
        pod.status = [
            "phase": "Running",
            "conditions": [
                ["type": "Ready", "status": "True", "lastTransitionTime": .string(earlier)],
                ["type": "PodScheduled", "status": "True", "lastTransitionTime": .string(earlier)],
            ],
            "containerStatuses": [["name": "op", "image": "img:1", "imageID": "img@sha256:1", "ready": true]],
        ]
        var state = ContainerRunState()
        state.restartCount = 2
        state.ready = false
        state.phase = .waiting(reason: "CrashLoopBackOff", message: "back-off 20s")
        state.lastTerminated = .init(
            exitCode: 137, signal: 9, startedAt: Date(timeIntervalSince1970: 0),
            finishedAt: Date(timeIntervalSince1970: 1),
            processID: 42)
        let patch = state.statusPatch(for: pod, container: "op", now: Date(timeIntervalSince1970: 100))
        let container = try #require(patch[path: ["status", "containerStatuses"]]?.arrayValue?.first)
        #expect(container["imageID"] == "img@sha256:1")
        #expect(container["restartCount"] == 2)
        #expect(container["ready"] == false)
        #expect(container[path: ["state", "waiting", "reason"]] == "CrashLoopBackOff")
        #expect(container[path: ["lastState", "terminated", "signal"]] == 9)
        #expect(container[path: ["lastState", "terminated", "exitCode"]] == 137)
        let conditions = try #require(patch[path: ["status", "conditions"]]?.arrayValue)
        let ready = try #require(conditions.first { $0["type"] == "Ready" })
        #expect(ready["status"] == "False")
        #expect(ready["lastTransitionTime"] == "1970-01-01T00:01:40Z")
        #expect(conditions.contains { $0["type"] == "PodScheduled" })
        #expect(conditions.contains { $0["type"] == "ContainersReady" && $0["status"] == "False" })

        pod.status?["conditions"] = .array(conditions)
        state.ready = true
        state.phase = .running(startedAt: Date(timeIntervalSince1970: 200), processID: 43)
        let again = state.statusPatch(for: pod, container: "op", now: Date(timeIntervalSince1970: 300))
        let readyAgain = try #require(
            again[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"] == "Ready" })
        #expect(readyAgain["status"] == "True")
        #expect(readyAgain["lastTransitionTime"] == "1970-01-01T00:05:00Z")
    }
}
