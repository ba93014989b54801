import Foundation

/// Pruning, defaulting and validation of custom resources against a CRD's structural
/// `openAPIV3Schema`, in kube-apiserver's order: prune unknown fields, apply defaults, validate.
///
/// Supported: `type` (object, array, string, integer, number, boolean), `properties`, `required`,
/// `enum`, `minimum`/`maximum` (+ `exclusiveMinimum`/`exclusiveMaximum`), `minLength`/`maxLength`,
/// `pattern`, `minItems`/`maxItems`, `items`, `additionalProperties`, `nullable`, `default`,
/// `x-kubernetes-preserve-unknown-fields`, `x-kubernetes-int-or-string`. CEL rules are not evaluated.
package enum StructuralSchema {
    /// Removes fields the schema does not declare (unless it preserves unknown fields). At the root,
    /// `apiVersion`, `kind` and `metadata` are always kept.
    package static func prune(_ value: JSON, schema: JSON, isRoot: Bool = false) -> JSON {
        switch value {
        case .object(let members):
            let properties = schema["properties"]?.objectValue ?? [:]
            let additional = schema["additionalProperties"]
            let preserve = schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
            var out: [String: JSON] = [:]
            for (key, member) in members {
                if isRoot && (key == "apiVersion" || key == "kind" || key == "metadata") {
                    out[key] = member
                } else if let child = properties[key] {
                    out[key] = prune(member, schema: child)
                } else if let additional, case .object = additional {
                    out[key] = prune(member, schema: additional)
                } else if preserve || additional?.boolValue == true {
                    out[key] = member
                }
            }
            return .object(out)
        case .array(let items):
            guard let itemSchema = schema["items"] else { return value }
            return .array(items.map { prune($0, schema: itemSchema) })
        default:
            return value
        }
    }

    /// The paths (`spec.unknown`) of the fields ``prune(_:schema:isRoot:)`` would remove.
    package static func unknownFields(_ value: JSON, schema: JSON, isRoot: Bool = false, path: String = "") -> [String]
    {
        switch value {
        case .object(let members):
            let properties = schema["properties"]?.objectValue ?? [:]
            let additional = schema["additionalProperties"]
            let preserve = schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
            var unknown: [String] = []
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if isRoot && (key == "apiVersion" || key == "kind" || key == "metadata") { continue }
                if let child = properties[key] {
                    unknown += unknownFields(member, schema: child, path: childPath)
                } else if let additional, case .object = additional {
                    unknown += unknownFields(member, schema: additional, path: childPath)
                } else if !(preserve || additional?.boolValue == true) {
                    unknown.append(childPath)
                }
            }
            return unknown
        case .array(let items):
            guard let itemSchema = schema["items"] else { return [] }
            return items.enumerated().flatMap { unknownFields($1, schema: itemSchema, path: "\(path)[\($0)]") }
        default:
            return []
        }
    }

    /// Fills `default`s of missing properties, recursively through present objects and arrays.
    package static func applyDefaults(_ value: JSON, schema: JSON) -> JSON {
        switch value {
        case .object(var members):
            for (key, child) in schema["properties"]?.objectValue ?? [:] {
                if members[key] == nil, let fallback = child["default"] {
                    members[key] = applyDefaults(fallback, schema: child)
                } else if let member = members[key] {
                    members[key] = applyDefaults(member, schema: child)
                }
            }
            if let additional = schema["additionalProperties"], case .object = additional {
                let declared = Set((schema["properties"]?.objectValue ?? [:]).keys)
                for (key, member) in members where !declared.contains(key) {
                    members[key] = applyDefaults(member, schema: additional)
                }
            }
            return .object(members)
        case .array(let items):
            guard let itemSchema = schema["items"] else { return value }
            return .array(items.map { applyDefaults($0, schema: itemSchema) })
        default:
            return value
        }
    }

    /// Collects every violation as a field cause (`spec.replicas`, `spec.containers[0].name`).
    package static func validate(_ value: JSON, schema: JSON, path: String, causes: inout [APIError.Cause]) {
        if value.isNull {
            if schema["nullable"]?.boolValue == true || schema["type"] == nil { return }
        }
        if schema["x-kubernetes-int-or-string"]?.boolValue == true {
            switch value {
            case .int, .string: break
            default:
                causes.append(typeCause(path, value, expected: "integer or string"))
                return
            }
        } else if let type = schema["type"]?.stringValue, !matches(value, type: type) {
            causes.append(typeCause(path, value, expected: type))
            return
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            causes.append(.notSupported(path, value, supported: allowed))
        }
        validateBounds(value, schema: schema, path: path, causes: &causes)
        switch value {
        case .object(let members):
            for key in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[key] == nil {
                causes.append(.required(join(path, key)))
            }
            let properties = schema["properties"]?.objectValue ?? [:]
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                if let child = properties[key] {
                    validate(member, schema: child, path: join(path, key), causes: &causes)
                } else if let additional = schema["additionalProperties"], case .object = additional {
                    validate(member, schema: additional, path: join(path, key), causes: &causes)
                }
            }
        case .array(let items):
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() {
                    validate(item, schema: itemSchema, path: "\(path)[\(index)]", causes: &causes)
                }
            }
        default:
            break
        }
    }

    private static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private static func matches(_ value: JSON, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .int),
            ("number", .int), ("number", .double):
            return true
        case ("integer", .double(let number)):
            return number.rounded() == number
        default:
            return false
        }
    }

    private static func typeCause(_ path: String, _ value: JSON, expected: String) -> APIError.Cause {
        APIError.Cause(
            reason: "FieldValueTypeInvalid", field: path,
            message:
                "Invalid value: \"\(value.typeName)\": \(path) in body must be of type \(expected): \"\(value.typeName)\""
        )
    }

    private static func number(_ value: JSON) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }

    private static func validateBounds(_ value: JSON, schema: JSON, path: String, causes: inout [APIError.Cause]) {
        if let actual = number(value) {
            if let minimum = schema["minimum"].flatMap(number) {
                let exclusive = schema["exclusiveMinimum"]?.boolValue == true
                if exclusive ? actual <= minimum : actual < minimum {
                    causes.append(
                        .invalid(
                            path, value,
                            "\(path) in body should be greater than \(exclusive ? "" : "or equal to ")\(schema["minimum"]?.text ?? "")"
                        ))
                }
            }
            if let maximum = schema["maximum"].flatMap(number) {
                let exclusive = schema["exclusiveMaximum"]?.boolValue == true
                if exclusive ? actual >= maximum : actual > maximum {
                    causes.append(
                        .invalid(
                            path, value,
                            "\(path) in body should be less than \(exclusive ? "" : "or equal to ")\(schema["maximum"]?.text ?? "")"
                        ))
                }
            }
        }
        if let text = value.stringValue {
            if let minLength = schema["minLength"]?.intValue, text.count < minLength {
                causes.append(.invalid(path, value, "\(path) in body should be at least \(minLength) chars long"))
            }
            if let maxLength = schema["maxLength"]?.intValue, text.count > maxLength {
                causes.append(
                    APIError.Cause(
                        reason: "FieldValueTooLong", field: path,
                        message: "Too long: may not be more than \(maxLength) bytes"))
            }
            if let pattern = schema["pattern"]?.stringValue,
                let regex = try? NSRegularExpression(pattern: pattern),
                regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil
            {
                causes.append(.invalid(path, value, "\(path) in body should match '\(pattern)'"))
            }
        }
        if let items = value.arrayValue {
            if let minItems = schema["minItems"]?.intValue, items.count < minItems {
                causes.append(.invalid(path, value, "\(path) in body should have at least \(minItems) items"))
            }
            if let maxItems = schema["maxItems"]?.intValue, items.count > maxItems {
                causes.append(
                    APIError.Cause(
                        reason: "FieldValueTooMany", field: path,
                        message: "Too many: \(items.count): must have at most \(maxItems) items"))
            }
        }
    }
}
