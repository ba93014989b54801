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

/// The replicas' check counters at one instant.
struct CheckSample: Sendable {
    /// When the counters were read (the middle of the scrapes).
    var instant: ContinuousClock.Instant
    /// `k8supdater_checks_total` by result, summed over the replicas.
    var byResult: [String: Int]

    var total: Int { byResult.values.reduce(0, +) }

    /// The instant the total reached `target`, by linear interpolation between two samples that
    /// bracket it (`from.total < target ≤ to.total`); `to`'s instant when they do not.
    static func crossing(_ target: Int, from: CheckSample, to: CheckSample) -> ContinuousClock.Instant {
        let span = to.total - from.total
        guard span > 0, from.total < target, target <= to.total else { return to.instant }
        let fraction = Double(target - from.total) / Double(span)
        return from.instant.advanced(by: from.instant.duration(to: to.instant) * fraction)
    }
}
