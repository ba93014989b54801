import Foundation

/// The observability kit beside the yamls (`yamls/monitoring`): which metrics its Grafana dashboard and
/// PrometheusRule query, and which metrics a `/metrics` text exports. The demo's last step checks that
/// the first is a subset of the second, against the running replicas.
enum MonitoringKit {
    /// The metric names (`k8supdater_…`, `controller_…`) in the kit's dashboard (`*.json`) and rules
    /// (`*.yml` but the kustomization), histogram series (`_bucket`, `_sum`, `_count`) as written.
    /// - Throws: ``DemoFailure`` when the directory has no dashboard or no rules.
    static func queriedMetrics(repositoryRoot: URL) throws -> Set<String> {
        let directory = repositoryRoot.appendingPathComponent("yamls/monitoring")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
            ($0.hasSuffix(".json") || $0.hasSuffix(".yml") || $0.hasSuffix(".yaml")) && !$0.hasPrefix("kustomization")
        }
        guard files.contains(where: { $0.hasSuffix(".json") }), files.contains(where: { !$0.hasSuffix(".json") }) else {
            throw DemoFailure("\(directory.path) holds no dashboard (.json) or no rules (.yml)")
        }
        var names: Set<String> = []
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            names.formUnion(metricNames(in: text))
        }
        return names
    }

    /// Identifiers starting with `k8supdater_` or `controller_` (the families the operator exports).
    static func metricNames(in text: String) -> Set<String> {
        var names: Set<String> = []
        let characters = Array(text.unicodeScalars)
        var index = 0
        func isName(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "_"
        }
        while index < characters.count {
            guard isName(characters[index]) else {
                index += 1
                continue
            }
            var end = index
            while end < characters.count, isName(characters[end]) { end += 1 }
            let word = String(String.UnicodeScalarView(characters[index..<end]))
            let preceded = index > 0 && (characters[index - 1] == "-" || characters[index - 1] == ".")
            if !preceded, word.hasPrefix("k8supdater_") || word.hasPrefix("controller_") { names.insert(word) }
            index = end
        }
        return names
    }

    /// The sample names of a Prometheus text exposition (`name{labels} value` or `name value`).
    static func sampleNames(in exposition: String) -> Set<String> {
        Set(
            exposition.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
                line.split(whereSeparator: { $0 == "{" || $0 == " " }).first.map(String.init)
            })
    }
}
