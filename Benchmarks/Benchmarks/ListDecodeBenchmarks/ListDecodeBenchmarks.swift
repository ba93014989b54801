import Benchmark
import Foundation
import KubernetesClient
import Transport

/// A relist of 10,000 Deployments: the body of an API server's `DeploymentList` (the shape of
/// `k8supdater-bench client`, Sources/Bench/KubernetesClientBench.swift) decoded into
/// `ObjectList<Deployment>`, once as the client's decode alone (`JSONDecoder`, as
/// `KubernetesClient.decode` does) and once through `KubernetesClient.list` over an in-memory
/// transport (request building, flow control, response checks and the decode: no network).
let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        // As DecideBenchmarks (no ARC counts: see there), plus the resident memory peak.
        metrics: [.wallClock, .instructions, .mallocCountTotal, .mallocBytesCount, .peakMemoryResident],
        timeUnits: .milliseconds,
        units: [.mallocCountTotal: .count, .mallocBytesCount: .count, .instructions: .count],
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: .seconds(20),
        maxIterations: 15
    )
    let body = DeploymentListBody.make(count: DeploymentListBody.count)

    Benchmark("DeploymentList 10k: JSONDecoder → ObjectList<Deployment>", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            do {
                let list = try JSONDecoder().decode(ObjectList<Deployment>.self, from: body)
                precondition(list.items.count == DeploymentListBody.count)
                blackHole(list)
            } catch {
                fatalError("decode: \(error)")
            }
        }
    }

    Benchmark("DeploymentList 10k: KubernetesClient.list (in-memory transport)", configuration: configuration) {
        benchmark in
        let client = KubernetesClient(
            configuration: ClientConfiguration(
                server: "https://bench.invalid", flowControl: .init(qps: 1_000_000, burst: 1_000_000)),
            transport: CannedTransport(body: body))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            do {
                let list = try await client.list(Deployment.self)
                precondition(list.items.count == DeploymentListBody.count)
                blackHole(list)
            } catch {
                fatalError("list: \(error)")
            }
        }
    }
}

/// Answers every request with one `200` and the same body, as an API server answers a relist.
struct CannedTransport: HTTPTransport {
    let body: Data

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: body)
    }

    func stream(_ request: HTTPRequest) async throws(TransportError) -> HTTPStreamingResponse {
        let body = body
        return HTTPStreamingResponse(
            status: 200, headers: ["Content-Type": "application/json"],
            body: AsyncThrowingStream { continuation in
                continuation.yield(body)
                continuation.finish()
            })
    }
}

/// The `DeploymentList` of `k8supdater-bench client`: API-server shaped items (metadata, a pod
/// template with two containers, status with a condition), about 1 KiB each.
enum DeploymentListBody {
    static let count = 10_000

    static func make(count: Int) -> Data {
        var body = #"{"kind":"DeploymentList","apiVersion":"apps/v1","metadata":{"resourceVersion":"99999"},"items":["#
        for index in 0..<count {
            if index > 0 { body += "," }
            body += #"""
                {"metadata":{"name":"deploy-\#(index)","namespace":"ns-\#(index % 50)","uid":"4b6e1d1c-\#(index)",
                "resourceVersion":"\#(1000 + index)","generation":3,"creationTimestamp":"2026-11-25T16:48:46Z",
                "labels":{"app":"web-\#(index)","tier":"frontend"},
                "annotations":{"deployment.kubernetes.io/revision":"3"}},
                "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web-\#(index)"}},
                "template":{"metadata":{"labels":{"app":"web-\#(index)"},
                "annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-20T10:00:00Z"}},
                "spec":{"containers":[{"name":"app","image":"registry.example/app:1.\#(index % 30).4",
                "ports":[{"containerPort":8080}],"resources":{"limits":{"cpu":"500m"}}},
                {"name":"sidecar","image":"envoyproxy/envoy:v1.29.1"}],
                "imagePullSecrets":[{"name":"regcred"}]}}},
                "status":{"observedGeneration":3,"replicas":2,"updatedReplicas":2,"readyReplicas":2,
                "availableReplicas":2,"conditions":[{"type":"Available","status":"True",
                "lastUpdateTime":"2026-11-25T16:50:00Z","lastTransitionTime":"2026-11-25T16:50:00Z",
                "reason":"MinimumReplicasAvailable","message":"Deployment has minimum availability."}]}}
                """#
        }
        body += "]}"
        return Data(body.utf8)
    }
}
