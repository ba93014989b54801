extension ServedResource {
    /// The resource types a CustomResourceDefinition serves, one per served version.
    ///
    /// - Throws: ``APIError`` 422 naming the offending field when the CRD is not usable.
    package static func fromCRD(_ crd: JSON) throws(APIError) -> [ServedResource] {
        let crdType = ServedResource.builtIns.first { $0.kind == "CustomResourceDefinition" }!
        let name = crd[path: ["metadata", "name"]]?.stringValue ?? ""
        var causes: [APIError.Cause] = []
        let spec = crd["spec"] ?? .emptyObject
        let group = spec["group"]?.stringValue ?? ""
        let names = spec["names"] ?? .emptyObject
        let plural = names["plural"]?.stringValue ?? ""
        let kind = names["kind"]?.stringValue ?? ""
        let scope = spec["scope"]?.stringValue ?? ""
        if group.isEmpty { causes.append(.required("spec.group")) }
        if plural.isEmpty { causes.append(.required("spec.names.plural")) }
        if kind.isEmpty { causes.append(.required("spec.names.kind")) }
        if scope != "Namespaced" && scope != "Cluster" {
            causes.append(.notSupported("spec.scope", .string(scope), supported: ["Cluster", "Namespaced"]))
        }
        if !group.isEmpty, !plural.isEmpty, name != "\(plural).\(group)" {
            causes.append(.invalid("metadata.name", .string(name), "must be spec.names.plural+\".\"+spec.group"))
        }
        if !group.isEmpty, !group.contains(".") {
            causes.append(.invalid("spec.group", .string(group), "should be a domain with at least one dot"))
        }
        let versions = spec["versions"]?.arrayValue ?? []
        if versions.isEmpty { causes.append(.required("spec.versions")) }
        if versions.filter({ $0["storage"]?.boolValue == true }).count != 1 {
            causes.append(.invalid("spec.versions", .null, "must have exactly one version marked as storage version"))
        }
        for (index, version) in versions.enumerated() where version["schema"]?["openAPIV3Schema"] == nil {
            causes.append(.required("spec.versions[\(index)].schema.openAPIV3Schema"))
        }
        guard causes.isEmpty else { throw APIError.invalid(crdType, name: name, causes: causes) }

        return versions.compactMap { version -> ServedResource? in
            guard version["served"]?.boolValue ?? true, let versionName = version["name"]?.stringValue else {
                return nil
            }
            var type = ServedResource(
                group: group, version: versionName, kind: kind, plural: plural,
                singular: names["singular"]?.stringValue ?? kind.lowercased(), namespaced: scope == "Namespaced")
            type.shortNames = names["shortNames"]?.arrayValue?.compactMap(\.stringValue) ?? []
            type.categories = names["categories"]?.arrayValue?.compactMap(\.stringValue) ?? []
            type.isBuiltIn = false
            type.tracksGeneration = true
            type.statusSubresource = version[path: ["subresources", "status"]] != nil
            if let scale = version[path: ["subresources", "scale"]] {
                type.scale = ScaleSpec(
                    specReplicasPath: scale["specReplicasPath"]?.stringValue ?? ".spec.replicas",
                    statusReplicasPath: scale["statusReplicasPath"]?.stringValue ?? ".status.replicas",
                    labelSelectorPath: scale["labelSelectorPath"]?.stringValue)
            }
            type.schema = version[path: ["schema", "openAPIV3Schema"]]
            let columns = version["additionalPrinterColumns"]?.arrayValue ?? []
            var printer = columns.compactMap { column -> PrinterColumn? in
                guard let columnName = column["name"]?.stringValue, let path = column["jsonPath"]?.stringValue else {
                    return nil
                }
                return PrinterColumn(
                    name: columnName, type: column["type"]?.stringValue ?? "string",
                    format: column["format"]?.stringValue ?? "", description: column["description"]?.stringValue ?? "",
                    priority: column["priority"]?.intValue ?? 0, jsonPath: path)
            }
            if printer.isEmpty {
                printer = [PrinterColumn(name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp")]
            }
            type.printerColumns = printer
            return type
        }
    }
}
