/// JSON Merge Patch (RFC 7386): objects merge recursively, `null` removes, everything else replaces.
package enum MergePatch {
    /// Applies `patch` to `target`.
    package static func apply(_ patch: JSON, to target: JSON) -> JSON {
        guard case .object(let members) = patch else { return patch }
        var result: [String: JSON]
        if case .object(let existing) = target { result = existing } else { result = [:] }
        for (key, value) in members {
            if value.isNull {
                result[key] = nil
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }
}
