import Foundation

/// A parsed `fieldSelector` query (`=`, `==`, `!=`, comma = AND) over the fields a resource supports:
/// `metadata.name` and `metadata.namespace` everywhere, `involvedObject.*`, `reason`, `type`,
/// `source`, `reportingComponent` on core Events, `spec.nodeName` and `status.phase` on Pods.
package struct FieldSelector: Sendable, Hashable {
    package struct Requirement: Sendable, Hashable {
        package var field: String
        package var value: String
        package var negated: Bool
    }

    package var requirements: [Requirement]

    package static let everything = FieldSelector(requirements: [])

    package init(requirements: [Requirement]) { self.requirements = requirements }

    /// Parses the query form for one resource.
    ///
    /// - Throws: ``APIError`` 400 `field label not supported: X` for an unsupported field, 400 for bad syntax.
    package init(parsing text: String, for resource: ServedResource) throws(APIError) {
        var requirements: [Requirement] = []
        for part in text.split(separator: ",") {
            let term = String(part).trimmingCharacters(in: " ")
            if term.isEmpty { continue }
            let negated: Bool
            let pieces: [String]
            if let range = term.range(of: "!=") {
                negated = true
                pieces = [String(term[..<range.lowerBound]), String(term[range.upperBound...])]
            } else if let range = term.range(of: "==") {
                negated = false
                pieces = [String(term[..<range.lowerBound]), String(term[range.upperBound...])]
            } else if let range = term.range(of: "=") {
                negated = false
                pieces = [String(term[..<range.lowerBound]), String(term[range.upperBound...])]
            } else {
                throw APIError.badRequest("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            let field = pieces[0].trimmingCharacters(in: " ")
            guard Self.supportedFields(resource).contains(field) else {
                throw APIError.badRequest("field label not supported: \(field)")
            }
            requirements.append(
                Requirement(field: field, value: pieces[1].trimmingCharacters(in: " "), negated: negated))
        }
        self.requirements = requirements
    }

    static func supportedFields(_ resource: ServedResource) -> Set<String> {
        var fields: Set<String> = ["metadata.name", "metadata.namespace"]
        if resource.group.isEmpty && resource.plural == "events" {
            fields.formUnion([
                "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
                "type", "source", "reportingComponent",
            ])
        }
        if resource.group.isEmpty && resource.plural == "pods" {
            fields.formUnion(["spec.nodeName", "status.phase"])
        }
        return fields
    }

    /// Whether an object satisfies every requirement.
    package func matches(_ object: JSON) -> Bool {
        requirements.allSatisfy { requirement in
            let actual: String
            if requirement.field == "source" {
                actual = object[path: ["source", "component"]]?.stringValue ?? ""
            } else {
                let path = requirement.field.split(separator: ".").map(String.init)
                actual = object[path: path]?.stringValue ?? ""
            }
            return (actual == requirement.value) != requirement.negated
        }
    }

    /// The name this selector pins (`metadata.name=X`), if any.
    package var pinnedName: String? {
        requirements.first { $0.field == "metadata.name" && !$0.negated }?.value
    }
}
