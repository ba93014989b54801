/// Reads the Prometheus text the replicas serve at /metrics.
enum ScaleMetrics {
    /// The sum of every `k8supdater_checks_total{…}` sample (all results) in a Prometheus text exposition.
    static func checksTotal(_ text: String) -> Int {
        var total = 0.0
        for line in text.split(separator: "\n") where line.hasPrefix("k8supdater_checks_total") {
            guard let value = line.split(separator: " ").last, let number = Double(value) else { continue }
            total += number
        }
        return Int(total)
    }
}
