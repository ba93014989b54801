/// RFC 8288 `Link` header parsing, for `rel="next"` pagination of tags/list and the GitLab API.
package enum LinkHeader {
    /// The target of the first `rel="next"` link among the header values, as written (may be relative).
    package static func next(_ values: [String]) -> String? {
        for value in values {
            for link in splitLinks(value) {
                guard let open = link.firstIndex(of: "<"), let close = link.firstIndex(of: ">"), open < close else {
                    continue
                }
                let target = String(link[link.index(after: open)..<close])
                let params = link[link.index(after: close)...].split(separator: ";")
                for param in params {
                    let pair = param.split(separator: "=", maxSplits: 1).map {
                        $0.trimmingCharacters(in: [" ", "\t", "\""])
                    }
                    guard pair.count == 2, pair[0].lowercased() == "rel" else { continue }
                    if pair[1].lowercased().split(separator: " ").contains("next") { return target }
                }
            }
        }
        return nil
    }

    /// Splits at commas outside `<…>` (URLs may contain commas).
    private static func splitLinks(_ value: String) -> [Substring] {
        var parts: [Substring] = []
        var start = value.startIndex
        var insideURL = false
        for index in value.indices {
            switch value[index] {
            case "<": insideURL = true
            case ">": insideURL = false
            case "," where !insideURL:
                parts.append(value[start..<index])
                start = value.index(after: index)
            default: break
            }
        }
        parts.append(value[start...])
        return parts
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        var view = self[...]
        while let first = view.first, set.contains(first) { view = view.dropFirst() }
        while let last = view.last, set.contains(last) { view = view.dropLast() }
        return String(view)
    }
}
