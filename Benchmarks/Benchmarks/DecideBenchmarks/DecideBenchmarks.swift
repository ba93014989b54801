import Benchmark
import Updater

/// `VersionPolicy.decide` on a 10,000-tag registry list (parse every tag, select candidates, decide),
/// as the operator runs it once per container per check: the default docker flavour, semver, pep440,
/// and the docker flavour with a `tagPattern`. One iteration is one whole `decide`.
///
/// The inputs are those of `k8supdater-bench decide` (`BenchTagList`, the file it compiles too): the
/// same deterministic tag list, current tag and frontier, so the figures compare with BENCHMARKS.md's.
let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: DecideInput.metrics,
        timeUnits: .microseconds,
        units: [.mallocCountTotal: .count, .mallocBytesCount: .count, .instructions: .count],
        warmupIterations: 5,
        scalingFactor: .one,
        maxDuration: .seconds(5),
        maxIterations: 300
    )
    for input in DecideInput.all {
        Benchmark("decide 10k tags: \(input.name)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try input.policy.decide(currentTag: input.current, availableTags: input.tags))
            }
        }
    }
}

/// One benchmarked case: a policy, the current tag and the registry's list.
struct DecideInput: Sendable {
    let name: String
    let policy: VersionPolicy
    let current: String
    let tags: [String]

    /// Wall clock percentiles, malloc calls and bytes (the harness's malloc interposer), and
    /// instructions where the kernel gives hardware counters (none in a VM without a PMU: the harness
    /// then leaves that row out). Not ARC counts: on Linux with Swift 6.3 the harness needs
    /// ordo-one/swift-runtime-interposer for them, which is not in the package mirror, and without it
    /// a benchmark measuring `.retainCount` crashes (SIGSEGV; Benchmarks/README.md).
    static let metrics: [BenchmarkMetric] = [.wallClock, .instructions, .mallocCountTotal, .mallocBytesCount]

    /// The tagPattern of BENCHMARKS.md's "Version policy" runs.
    static let pattern = #"^(?<version>\d+\.\d+\.\d+)(?<suffix>.*)$"#

    static let tagCount = 10_000

    static var all: [DecideInput] {
        [
            make(name: "docker", flavor: .docker, pattern: nil),
            make(name: "semver", flavor: .semver, pattern: nil),
            make(name: "pep440", flavor: .pep440, pattern: nil),
            make(name: "docker + tagPattern", flavor: .docker, pattern: pattern),
        ]
    }

    /// Builds a case and checks that `decide` answers on it (a benchmark of the error path would
    /// measure nothing useful).
    static func make(name: String, flavor: VersionFlavor, pattern: String?) -> DecideInput {
        let current = flavor == .docker ? "1.25.3-alpine" : "1.25.3"
        do {
            let policy = try VersionPolicy(flavor: flavor, tagPattern: pattern, frontier: 2)
            let tags = BenchTagList.make(count: tagCount, flavor: flavor)
            let decision = try policy.decide(currentTag: current, availableTags: tags)
            precondition(decision.update != nil && decision.notify != nil, "\(name): \(decision)")
            return DecideInput(name: name, policy: policy, current: current, tags: tags)
        } catch {
            fatalError("\(name): \(error)")
        }
    }
}
