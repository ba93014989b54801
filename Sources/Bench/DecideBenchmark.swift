import ArgumentParser
import Updater

/// `k8supdater-bench decide`: the version policy on a large tag list (parse every tag, select
/// candidates, decide), as the operator runs it once per container per check.
struct DecideBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decide",
        abstract: "Time VersionPolicy.decide (parse + select + decide) on a synthetic registry tag list."
    )

    @Option(help: "Number of tags in the list.")
    var tags = 10_000

    @Option(help: "Timed repetitions (after 5 warm-up runs).")
    var iterations = 200

    @Option(help: "docker, semver or pep440.")
    var flavor = "docker"

    @Option(help: "Optional tagPattern (regular expression with (?<version>…)).")
    var tagPattern: String?

    func validate() throws {
        guard iterations >= 1, tags >= 1 else { throw ValidationError("--iterations and --tags must be at least 1") }
    }

    func run() throws {
        BenchEnvironment.printHeader()
        guard let flavor = VersionFlavor(rawValue: flavor) else { throw ValidationError("unknown flavor \(flavor)") }
        let list = BenchTagList.make(count: tags, flavor: flavor)
        let current = flavor == .docker ? "1.25.3-alpine" : "1.25.3"
        let policy = try VersionPolicy(flavor: flavor, tagPattern: tagPattern, frontier: 2)
        let clock = ContinuousClock()
        var decision = try policy.decide(currentTag: current, availableTags: list)
        for _ in 0..<5 { decision = try policy.decide(currentTag: current, availableTags: list) }
        var samples: [Duration] = []
        samples.reserveCapacity(iterations)
        for _ in 0..<iterations {
            let start = clock.now
            decision = try policy.decide(currentTag: current, availableTags: list)
            samples.append(clock.now - start)
        }
        samples.sort()
        func ms(_ duration: Duration) -> String {
            let value = Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) * 1e-15
            return String(Int((value * 1000).rounded())).paddedMilliseconds
        }
        print(
            "decide: \(list.count) tags, flavor \(flavor.rawValue), pattern \(tagPattern ?? "-"), "
                + "\(iterations) timed runs after 5 warm-up runs")
        print(
            "  min \(ms(samples[0])) ms  median \(ms(samples[samples.count / 2])) ms  "
                + "p95 \(ms(samples[samples.count * 95 / 100])) ms  max \(ms(samples[samples.count - 1])) ms")
        print("  decision: update \(decision.update ?? "-"), notify \(decision.notify ?? "-")")
        BenchEnvironment.printFooter()
    }
}

extension String {
    /// Microseconds as a string → milliseconds with three decimals.
    fileprivate var paddedMilliseconds: String {
        let padded = count < 4 ? String(repeating: "0", count: 4 - count) + self : self
        return "\(padded.dropLast(3)).\(padded.suffix(3))"
    }
}
