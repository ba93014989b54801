/// What one step of the scenario expected and observed.
struct DemoStepResult: Sendable {
    var number: Int
    var title: String
    var expected: String
    var observed: String
    var duration: Duration
    var passed: Bool
}

/// One look at the cluster during a step: the expected outcome was seen (with what was seen), or not
/// yet (with what is seen so far, reported if the step runs out of time).
enum DemoObservation: Sendable {
    case observed(String)
    case waiting(String)
}

/// Runs steps one after the other: the action, then the observation polled until it holds or the
/// step's limit passes (a failure guard, generous on purpose: a loaded machine is slow, not wrong).
struct DemoStepRunner {
    let limit: Duration
    /// The replicas' last lines, printed under a failed step.
    let diagnostics: @Sendable () async -> String
    /// Runs when a step's observation ends, before its outcome is printed (the live table's refresh).
    let observed: @Sendable () async -> Void
    private(set) var results: [DemoStepResult] = []

    init(
        limit: Duration, diagnostics: @escaping @Sendable () async -> String,
        observed: @escaping @Sendable () async -> Void = {}
    ) {
        self.limit = limit
        self.diagnostics = diagnostics
        self.observed = observed
    }

    /// Runs one step.
    /// - Throws: `CancellationError` when the demo is interrupted (the step is recorded as failed).
    mutating func step(
        _ title: String, expected: String, act: () async throws -> Void = {},
        observe: () async throws -> DemoObservation
    ) async throws {
        let number = results.count + 1
        DemoOutput.say("━━ step \(number): \(title)")
        DemoOutput.say("   expected: \(expected)")
        let clock = ContinuousClock()
        let start = clock.now
        var observed = "nothing yet"
        var passed = false
        var interrupted = false
        do {
            try await act()
            while true {
                do {
                    switch try await observe() {
                    case .observed(let text):
                        observed = text
                        passed = true
                    case .waiting(let text):
                        observed = text
                    }
                } catch {
                    observed = "\(error)"
                }
                if passed || clock.now - start >= limit { break }
                try await Task.sleep(for: .milliseconds(250))
            }
        } catch is CancellationError {
            interrupted = true
            observed = "interrupted (\(observed))"
        } catch {
            observed = "the step's action failed: \(error)"
        }
        let duration = clock.now - start
        if !interrupted { await self.observed() }
        if !passed, !interrupted, duration >= limit {
            observed = "not within \(DemoOutput.seconds(limit)); last seen: \(observed)"
        }
        DemoOutput.say("   observed: \(observed)")
        DemoOutput.say("   \(passed ? "✓ as expected" : "✗ NOT as expected") (\(DemoOutput.seconds(duration)))")
        if !passed, !interrupted { DemoOutput.say(await diagnostics()) }
        results.append(
            DemoStepResult(
                number: number, title: title, expected: expected, observed: observed, duration: duration,
                passed: passed))
        if interrupted { throw CancellationError() }
    }

    /// The closing summary: each step, what was expected, what was observed, how long it took.
    func summary(total: Duration) -> String {
        var lines = ["", "Summary"]
        for result in results {
            lines.append(
                "\(result.passed ? "✓" : "✗") \(result.number). \(result.title) — "
                    + DemoOutput.seconds(result.duration))
            lines.append("    expected: \(result.expected)")
            lines.append("    observed: \(result.observed)")
        }
        let failed = results.count { !$0.passed }
        lines.append(
            failed == 0
                ? "All \(results.count) steps observed as expected in \(DemoOutput.seconds(total))."
                : "\(failed) of \(results.count) steps NOT as expected (\(DemoOutput.seconds(total))).")
        return lines.joined(separator: "\n")
    }

    var allPassed: Bool { !results.isEmpty && results.allSatisfy(\.passed) }
}
