import Foundation

/// Convenience accessors for `metadata` of a Kubernetes object held as ``JSON``.
extension JSON {
    package var name: String { self[path: ["metadata", "name"]]?.stringValue ?? "" }
    package var namespace: String? { self[path: ["metadata", "namespace"]]?.stringValue }
    package var uid: String? { self[path: ["metadata", "uid"]]?.stringValue }
    package var resourceVersionString: String { self[path: ["metadata", "resourceVersion"]]?.stringValue ?? "" }

    package var labels: [String: String] {
        (self[path: ["metadata", "labels"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    package var finalizers: [String] {
        self[path: ["metadata", "finalizers"]]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    package var isDeleting: Bool {
        if let stamp = self[path: ["metadata", "deletionTimestamp"]], !stamp.isNull { return true }
        return false
    }

    /// The value at a simple JSONPath such as `.spec.replicas`, `.status.conditions[0].type` or
    /// `.status.conditions[?(@.type=="Ready")].status`.
    package func value(atJSONPath path: String) -> JSON? {
        var current: JSON? = self
        var rest = Substring(path.hasPrefix("{") && path.hasSuffix("}") ? String(path.dropFirst().dropLast()) : path)
        while !rest.isEmpty, let value = current {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                let key = String(rest[..<end])
                rest = rest[end...]
                current = key.isEmpty ? value : value[key]
            } else if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else { return nil }
                let inner = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
                if let index = Int(inner) {
                    let items = value.arrayValue ?? []
                    current = index >= 0 && index < items.count ? items[index] : nil
                } else if inner.hasPrefix("?(@."), inner.hasSuffix(")"), let eq = inner.range(of: "==") {
                    let field = String(inner[inner.index(inner.startIndex, offsetBy: 4)..<eq.lowerBound])
                    let wanted = inner[eq.upperBound..<inner.index(before: inner.endIndex)]
                        .trimmingCharacters(in: "\"").trimmingCharacters(in: "'")
                    current = value.arrayValue?.first { $0[field]?.stringValue == wanted }
                } else {
                    return nil
                }
            } else {
                return nil
            }
        }
        return current
    }
}
