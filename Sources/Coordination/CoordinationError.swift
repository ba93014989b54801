/// Why coordination could not proceed. Each case says whether trying again may help.
package enum CoordinationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Bad timings or names; fix the configuration.
    case invalidConfiguration(String)
    /// Leadership of the Lease was lost (renew deadline passed or another holder took it); the guarded
    /// work was cancelled.
    case leadershipLost(lease: String)
    /// Guarded work did not stop within the bound after leadership was lost; the process must exit.
    case workDidNotStop(lease: String)

    package var isRetryable: Bool {
        switch self {
        case .invalidConfiguration, .workDidNotStop: false
        case .leadershipLost: true
        }
    }

    package var description: String {
        switch self {
        case .invalidConfiguration(let message): "invalid coordination configuration: \(message)"
        case .leadershipLost(let lease): "leadership of Lease \(lease) lost"
        case .workDidNotStop(let lease): "work guarded by Lease \(lease) did not stop in time"
        }
    }
}
