import ArgumentParser

/// `k8supdater-bench`: the benchmarks recorded in BENCHMARKS.md. Build with `-c release`.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "k8supdater-bench",
        abstract: "Benchmarks of k8supdater's components (see BENCHMARKS.md).",
        subcommands: [
            // Each area adds its subcommand here, one line each.
            TransportBenchmark.self,
            DecideBenchmark.self,
            KubernetesClientBench.self,
            EmulatorBench.self,
            RegistryBenchmark.self,
            RuntimeBench.self,
            ShardingBenchmark.self,
            HandoffBenchmark.self,
            ScaleBenchmark.self,
            ShardSimBenchmark.self,
        ]
    )
}
