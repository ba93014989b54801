/// The product's name and version, for user agents, `k8supdater version` and metrics.
package enum BuildInfo {
    package static let name = "k8supdater"
    package static let version = "0.1.0"
    /// `k8supdater/0.1.0`, the prefix of every User-Agent this product sends.
    package static var userAgent: String { "\(name)/\(version)" }
}
