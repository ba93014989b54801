import ArgumentParser
import Foundation
import Hummingbird
import LoopbackFixtures
import Transport

#if canImport(Glibc)
    import Glibc
#endif

/// `k8supdater-bench transport`: many small GETs over loopback through ``CurlTransport``, compared in the
/// same run with the `curl` command-line tool doing the same work (`curl --parallel`).
struct TransportBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transport",
        abstract: "Small GETs over loopback: CurlTransport vs the curl CLI (requests/s, peak RSS)."
    )

    @Option(help: "Number of requests.") var requests = 10_000
    @Option(help: "Requests in flight at once.") var concurrency = 100
    @Option(help: "The curl executable to compare with.") var curl = "/usr/bin/curl"

    func validate() throws {
        guard requests >= 1, concurrency >= 1 else {
            throw ValidationError("--requests and --concurrency must be at least 1")
        }
    }

    func run() async throws {
        BenchEnvironment.printHeader(tools: [curl])
        let router = Router()
        router.get("small") { _, _ in "ok" }
        try await LoopbackHTTPServer.withServer(router) { server in
            let url = server.url("/small")
            let transport = try CurlTransport()
            _ = try await Self.runTransport(transport, url: url, requests: min(200, requests), concurrency: concurrency)
            let ours = try await Self.runTransport(transport, url: url, requests: requests, concurrency: concurrency)
            await transport.shutdown()
            let selfRSS = Self.peakRSS(RUSAGE_SELF.rawValue)
            let theirs = try Self.runCurl(curl, url: url, requests: requests, concurrency: concurrency)
            let curlRSS = Self.peakRSS(RUSAGE_CHILDREN.rawValue)
            print(
                "transport benchmark: \(requests) GETs of \(url), \(concurrency) in flight "
                    + "(CurlTransport after \(min(200, requests)) warm-up requests; curl cold)")
            print(
                Self.row(
                    "CurlTransport", requests: requests, seconds: ours, rssKiB: selfRSS,
                    note: "whole process, server included"))
            print(
                Self.row("curl --parallel", requests: requests, seconds: theirs, rssKiB: curlRSS, note: "curl process"))
        }
        BenchEnvironment.printFooter()
    }

    /// Runs `requests` GETs with at most `concurrency` in flight; returns the elapsed seconds.
    static func runTransport(_ transport: CurlTransport, url: String, requests: Int, concurrency: Int) async throws
        -> Double
    {
        let clock = ContinuousClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            var started = 0
            func launch() {
                group.addTask {
                    let response = try await transport.send(Transport.HTTPRequest(url: url))
                    guard response.status == 200 else { throw ValidationError("status \(response.status)") }
                }
                started += 1
            }
            while started < min(concurrency, requests) { launch() }
            while try await group.next() != nil {
                if started < requests { launch() }
            }
        }
        return seconds(clock.now - start)
    }

    /// Runs the curl CLI on a config file listing the URL `requests` times; returns the elapsed seconds.
    static func runCurl(_ curl: String, url: String, requests: Int, concurrency: Int) throws -> Double {
        let temporary = try TemporaryDirectory(prefix: "k8supdater-bench")
        defer { temporary.remove() }
        let directory = temporary.path
        let config = "\(directory)/urls.conf"
        let entry = "url = \"\(url)\"\noutput = \"/dev/null\"\n"
        try String(repeating: entry, count: requests).write(toFile: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: curl)
        process.arguments = [
            "--silent", "--no-progress-meter", "--show-error", "--fail", "--parallel", "--parallel-max",
            "\(concurrency)", "--config", config,
        ]
        let clock = ContinuousClock()
        let start = clock.now
        try process.run()
        process.waitUntilExit()
        let elapsed = seconds(clock.now - start)
        guard process.terminationStatus == 0 else {
            throw ValidationError("curl exited with \(process.terminationStatus)")
        }
        return elapsed
    }

    static func peakRSS(_ who: Int32) -> Int {
        var usage = rusage()
        getrusage(who, &usage)
        return usage.ru_maxrss
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func row(_ name: String, requests: Int, seconds: Double, rssKiB: Int, note: String) -> String {
        let rate = Int((Double(requests) / seconds).rounded())
        let time = String(format: "%.3f", seconds)
        return "  \(name): \(time) s, \(rate) requests/s, peak RSS \(rssKiB / 1024) MiB (\(note))"
    }
}
