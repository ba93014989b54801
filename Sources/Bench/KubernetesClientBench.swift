import ArgumentParser
import Foundation
import KubernetesClient
import LoopbackFixtures
import Transport

/// `k8supdater-bench client`: decoding a large list and watch throughput, both in-process (a scripted
/// transport), so only the client's own work is measured.
struct KubernetesClientBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client", abstract: "KubernetesClient: decode a large list; watch events per second.")

    @Option(help: "Objects in the list.") var objects = 10_000
    @Option(help: "Watch events to stream.") var events = 100_000
    @Option(help: "Repetitions of the list decode (the median is reported).") var repetitions = 5

    func validate() throws {
        guard objects >= 1, events >= 1, repetitions >= 1 else {
            throw ValidationError("--objects, --events and --repetitions must be at least 1")
        }
    }

    func run() async throws {
        BenchEnvironment.printHeader()
        let listBody = BenchDeploymentList.make(count: objects)
        var timings: [Duration] = []
        for _ in 0..<repetitions {
            let transport = ScriptedTransport(
                [.init(.get, "/apis/apps/v1/deployments", reply: .response(status: 200, headers: [:], body: listBody))],
                onMismatch: Self.reportMismatch)
            let client = Self.client(transport)
            let start = ContinuousClock.now
            let list = try await client.list(Deployment.self)
            timings.append(start.duration(to: .now))
            guard list.items.count == objects else { throw ValidationError("decoded \(list.items.count) objects") }
        }
        let median = timings.sorted()[timings.count / 2]
        print(
            "list decode: \(objects) Deployments, \(listBody.count / 1024) KiB: median of \(repetitions) \(median) "
                + "(\(Int(Double(objects) / median.seconds)) objects/s)")

        let rate = try await watchThroughput()
        print("watch: \(events) events through Watcher + StoreWriter: \(Int(rate)) events/s")
        BenchEnvironment.printFooter()
    }

    private func watchThroughput() async throws -> Double {
        var stream = Data()
        for index in 0..<events {
            let name = "d\(index % 1000)"
            stream.append(
                Data(
                    (#"{"type":"MODIFIED","object":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":""#
                        + name + #"","namespace":"web","resourceVersion":""# + String(index + 2)
                        + #""},"spec":{"template":{"spec":{"containers":[{"name":"app","image":"nginx:1.25.\#(index)"}]}}}}}"#
                        + "\n").utf8))
        }
        let chunkSize = 16 * 1024
        let chunks = stride(from: 0, to: stream.count, by: chunkSize).map {
            stream.subdata(in: $0..<min($0 + chunkSize, stream.count))
        }
        let transport = ScriptedTransport(
            [
                .init(
                    .get, "/apis/apps/v1/deployments", query: ["limit": "500"],
                    reply: .json(#"{"metadata":{"resourceVersion":"1"},"items":[]}"#)),
                .init(
                    .get, "/apis/apps/v1/deployments",
                    query: [
                        "watch": "true", "resourceVersion": "1", "allowWatchBookmarks": "true", "timeoutSeconds": "290",
                    ],
                    reply: .stream(status: 200, headers: [:], chunks: chunks, failure: nil)),
            ],
            onMismatch: Self.reportMismatch)
        let watcher = Watcher(client: Self.client(transport), Deployment.self, clock: ContinuousClock())
        let writer = StoreWriter<Deployment>()
        var applied = 0
        let start = ContinuousClock.now
        for await event in watcher.reflect(into: writer) {
            if case .apply = event { applied += 1 }
            if applied == events { break }
        }
        return Double(events) / start.duration(to: .now).seconds
    }

    /// A request the script does not expect is a bug in the benchmark: say which, on stderr.
    static let reportMismatch: @Sendable (String) -> Void = { message in
        FileHandle.standardError.write(Data("bench: \(message)\n".utf8))
    }

    static func client(_ transport: ScriptedTransport) -> KubernetesClient {
        KubernetesClient(
            configuration: ClientConfiguration(
                server: "https://bench.invalid", flowControl: .init(qps: 1_000_000, burst: 1_000_000)),
            transport: transport)
    }
}
