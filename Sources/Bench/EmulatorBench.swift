import ArgumentParser
import Foundation
import KubeEmulator
import Transport

/// `k8supdater-bench emulator`: create rate, list latency, watch fan-out and memory of the emulator
/// with N objects, through the in-process transport (the same router as the HTTP front).
struct EmulatorBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulator", abstract: "KubeEmulator: create rate, list latency, watch fan-out, RSS.")

    @Option(help: "Number of ConfigMaps to create.")
    var objects = 10_000

    @Option(help: "Number of concurrent watchers for the fan-out measurement.")
    var watchers = 10

    @Option(help: "Repetitions of each LIST (the median is reported).")
    var repetitions = 5

    @Option(
        help:
            "Also create this many one-replica Deployments (each gets a ReplicaSet and a Pod from the emulator's controllers) and report the rate per tenth."
    )
    var deployments = 0

    func validate() throws {
        guard objects >= 10, watchers >= 1, repetitions >= 1 else {
            throw ValidationError("--objects must be at least 10, --watchers and --repetitions at least 1")
        }
    }

    func run() async throws {
        BenchEnvironment.printHeader()
        var configuration = Emulator.Configuration()
        configuration.historyLimit = max(10_000, objects * 2)
        let emulator = Emulator(configuration: configuration)
        let transport = emulator.transport
        let base = Emulator.inProcessBaseURL + "/api/v1/namespaces/default/configmaps"
        let clock = ContinuousClock()
        let rssBefore = Self.residentKiB()

        let createTime = try await clock.measure {
            for index in 0..<objects {
                let body: JSON = [
                    "apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": [
                        "name": .string("cm-\(index)"), "labels": ["bench": "yes", "shard": .string("s\(index % 10)")],
                    ],
                    "data": ["index": .string(String(index)), "payload": .string(String(repeating: "x", count: 64))],
                ]
                let response = try await transport.send(
                    HTTPRequest(
                        method: .post, url: base, headers: ["Content-Type": "application/json"], body: body.encoded()))
                guard response.status == 201 else { throw ValidationError("create failed: \(response.status)") }
            }
        }
        print(
            String(
                format: "create: %d objects in %.2f s = %.0f objects/s", objects, createTime.seconds,
                Double(objects) / createTime.seconds))
        if deployments > 0 { try await createDeployments(transport: transport, clock: clock) }

        var listTimes: [Duration] = []
        for _ in 0..<repetitions {
            listTimes.append(try await clock.measure { _ = try await transport.send(HTTPRequest(url: base)) })
        }
        var pageTimes: [Duration] = []
        for _ in 0..<repetitions {
            pageTimes.append(
                try await clock.measure { _ = try await transport.send(HTTPRequest(url: base + "?limit=500")) })
        }
        var selectorTimes: [Duration] = []
        for _ in 0..<repetitions {
            selectorTimes.append(
                try await clock.measure {
                    _ = try await transport.send(HTTPRequest(url: base + "?labelSelector=shard%3Ds3"))
                })
        }
        print(
            String(format: "list all %d: median of %d %.1f ms", objects, repetitions, Self.median(listTimes) * 1000))
        print(
            String(
                format: "list limit=500: median of %d %.1f ms", repetitions, Self.median(pageTimes) * 1000))
        print(
            String(
                format: "list labelSelector (1/10 match): median of %d %.1f ms", repetitions,
                Self.median(selectorTimes) * 1000))

        guard let type = await emulator.lookup(group: "", version: "v1", plural: "configmaps") else {
            throw ValidationError("the emulator does not serve configmaps")
        }
        let startRV = String(await emulator.currentResourceVersion)
        let updates = min(objects, 1_000)
        var options = Emulator.WatchOptions()
        options.resourceVersion = startRV
        let fanOut = try await clock.measure {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<watchers {
                    let response = try await transport.stream(
                        HTTPRequest(
                            url: base + "?watch=true&resourceVersion=\(startRV)", timeouts: HTTPTimeouts(total: nil)))
                    group.addTask {
                        var seen = 0
                        for try await _ in response.lines {
                            seen += 1
                            if seen == updates { break }
                        }
                        return seen
                    }
                }
                for index in 0..<updates {
                    _ = try await emulator.patch(
                        type, namespace: "default", name: "cm-\(index)", patchType: .merge,
                        body: Data(#"{"data":{"touched":"yes"}}"#.utf8))
                }
                var total = 0
                for try await seen in group { total += seen }
                guard total == updates * watchers else { throw ValidationError("watchers saw \(total) events") }
            }
        }
        print(
            String(
                format: "watch fan-out: %d updates to %d watchers (%d events) in %.2f s = %.0f events/s", updates,
                watchers, updates * watchers, fanOut.seconds, Double(updates * watchers) / fanOut.seconds))
        let rssAfter = Self.residentKiB()
        print("RSS: \(rssBefore / 1024) MiB before, \(rssAfter / 1024) MiB with \(objects) objects and history")
        BenchEnvironment.printFooter()
    }

    /// Creates ``deployments`` Deployments, timing each tenth: a rate that falls tenth by tenth is work
    /// per create that grows with the objects stored.
    private func createDeployments(transport: some HTTPTransport, clock: ContinuousClock) async throws {
        let url = Emulator.inProcessBaseURL + "/apis/apps/v1/namespaces/default/deployments"
        let tenth = max(deployments / 10, 1)
        var rates: [String] = []
        var start = clock.now
        let total = try await clock.measure {
            for index in 0..<deployments {
                let name = "app-\(index)"
                let body: JSON = [
                    "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
                    "spec": [
                        "replicas": 1, "selector": ["matchLabels": ["app": .string(name)]],
                        "template": [
                            "metadata": ["labels": ["app": .string(name)]],
                            "spec": ["containers": [["name": "web", "image": "nginx:1.27"]]],
                        ],
                    ],
                ]
                let response = try await transport.send(
                    HTTPRequest(
                        method: .post, url: url, headers: ["Content-Type": "application/json"], body: body.encoded()))
                guard response.status == 201 else { throw ValidationError("create failed: \(response.status)") }
                if (index + 1) % tenth == 0 {
                    let now = clock.now
                    rates.append(String(format: "%.0f", Double(tenth) / start.duration(to: now).seconds))
                    start = now
                }
            }
        }
        print(
            String(
                format: "create: %d Deployments (+ a ReplicaSet and a Pod each) in %.2f s = %.0f/s", deployments,
                total.seconds, Double(deployments) / total.seconds))
        print("Deployments created per second, tenth by tenth: \(rates.joined(separator: ", "))")
    }

    static func median(_ values: [Duration]) -> Double {
        values.map(\.seconds).sorted()[values.count / 2]
    }

    /// VmRSS from /proc/self/status, in KiB (0 where unavailable).
    static func residentKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
