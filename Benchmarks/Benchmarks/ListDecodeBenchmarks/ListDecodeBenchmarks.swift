import Benchmark
import Foundation
import KubernetesClient
import Transport

/// A relist of 10,000 Deployments: the body of an API server's `DeploymentList` (the shape of
/// `k8supdater-bench client`: `BenchDeploymentList`, the file it compiles too) decoded into
/// `ObjectList<Deployment>`, once as the client's decode alone (`JSONDecoder`, as
/// `KubernetesClient.decode` does) and once through `KubernetesClient.list` over an in-memory
/// transport (request building, flow control, response checks and the decode: no network).
/// Deployments in the relist.
let deploymentCount = 10_000

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
    let body = BenchDeploymentList.make(count: deploymentCount)

    Benchmark("DeploymentList 10k: JSONDecoder → ObjectList<Deployment>", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            do {
                let list = try JSONDecoder().decode(ObjectList<Deployment>.self, from: body)
                precondition(list.items.count == deploymentCount)
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
                precondition(list.items.count == deploymentCount)
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
