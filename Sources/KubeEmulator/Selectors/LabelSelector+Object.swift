/// A `metav1.LabelSelector` object (`matchLabels`, `matchExpressions`) as a ``LabelSelector``, and
/// the text form kube-apiserver prints for it (`app=web,tier in (a,b)`).
extension LabelSelector {
    /// The selector of a `LabelSelector` object; nil for a missing one (which selects nothing) or an
    /// unknown operator. An empty object selects everything.
    init?(object: JSON?) {
        guard let object, case .object = object else { return nil }
        var requirements: [Requirement] = (object["matchLabels"]?.objectValue ?? [:]).sorted { $0.key < $1.key }
            .map { .equals($0.key, $0.value.stringValue ?? "") }
        for expression in object["matchExpressions"]?.arrayValue ?? [] {
            let key = expression["key"]?.stringValue ?? ""
            let values = Set((expression["values"]?.arrayValue ?? []).compactMap(\.stringValue))
            switch expression["operator"]?.stringValue {
            case "In": requirements.append(.isIn(key, values))
            case "NotIn": requirements.append(.notIn(key, values))
            case "Exists": requirements.append(.exists(key))
            case "DoesNotExist": requirements.append(.doesNotExist(key))
            default: return nil
            }
        }
        self.init(requirements: requirements)
    }

    /// The query form (`<none>` for an empty selector, as kubectl's wide columns show it).
    var text: String {
        let terms = requirements.map { requirement -> String in
            switch requirement {
            case .equals(let key, let value): "\(key)=\(value)"
            case .notEquals(let key, let value): "\(key)!=\(value)"
            case .isIn(let key, let values): "\(key) in (\(values.sorted().joined(separator: ",")))"
            case .notIn(let key, let values): "\(key) notin (\(values.sorted().joined(separator: ",")))"
            case .exists(let key): key
            case .doesNotExist(let key): "!\(key)"
            }
        }
        return terms.isEmpty ? "<none>" : terms.joined(separator: ",")
    }
}
