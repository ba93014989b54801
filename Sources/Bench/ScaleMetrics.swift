/// Reads the Prometheus text the replicas serve at /metrics.
enum ScaleMetrics {
    /// The `k8supdater_checks_total{result="…"}` samples of a Prometheus text exposition, by result.
    static func checks(_ text: String) -> [String: Int] {
        var totals: [String: Int] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("k8supdater_checks_total") {
            guard let value = line.split(separator: " ").last, let number = Double(value) else { continue }
            var result = "?"
            if let start = line.firstRange(of: "result=\"") {
                result = String(line[start.upperBound...].prefix { $0 != "\"" })
            }
            totals[result, default: 0] += Int(number)
        }
        return totals
    }
}
