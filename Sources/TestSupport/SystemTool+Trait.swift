package import LoopbackFixtures
package import Testing

extension Trait where Self == ConditionTrait {
    /// Runs the test only where the tools exist — except under `CI=true`, where the test always runs
    /// (and fails through ``SystemTool/require(_:)`` if a tool is missing).
    package static func requires(_ tools: SystemTool.Tool...) -> Self {
        let missing = tools.filter { !SystemTool.isAvailable($0) }
        let names = missing.map(\.description).joined(separator: ", ")
        return .enabled(
            if: missing.isEmpty || SystemTool.isCI,
            "skipped: needs \(names) (Scripts/install-deps.sh installs it where it can, else prints what is missing; under CI=true this fails instead)"
        )
    }
}
