import Foundation

/// Server-side printing (`meta.k8s.io/v1 Table`): `Name` plus a resource's printer columns (a CRD's
/// `additionalPrinterColumns`, or the built-in columns kubectl shows), with `date` cells as human
/// durations ("66s", "5m", "3d") and rows carrying PartialObjectMetadata (namespace and labels, for
/// `-A` and `--show-labels`).
enum TableRenderer {
    static let nameColumn: JSON = [
        "name": "Name", "type": "string", "format": "name", "priority": 0,
        "description": .string(
            "Name must be unique within a namespace. Is required when creating resources, although some "
                + "resources may allow a client to request the generation of an appropriate name automatically. Name "
                + "is primarily intended for creation idempotence and configuration definition. Cannot be updated."),
    ]

    static func columns(_ type: ServedResource) -> [ServedResource.PrinterColumn] {
        type.printerColumns ?? [.init(name: "Created At", type: "date", jsonPath: ".metadata.creationTimestamp")]
    }

    static func table(
        _ type: ServedResource, _ objects: [JSON], metadata: JSON, includeObject: String, now: Date = Date()
    )
        -> JSON
    {
        let columns = columns(type)
        // Events list Name last and only with -o wide, as kube-apiserver's event printer does.
        let nameLast = type.isBuiltIn && type.kind == "Event"
        var name = nameColumn
        if nameLast { name["priority"] = 1 }
        let definitions: [JSON] =
            (nameLast ? [] : [name])
            + columns.map { column in
                [
                    "name": .string(column.name), "type": .string(column.type), "format": .string(column.format),
                    "description": .string(column.description), "priority": .int(column.priority),
                ]
            } + (nameLast ? [name] : [])
        let rows: [JSON] = objects.map { object in
            let cells = columns.map { cell($0, object, now: now) }
            var row: JSON = [
                "cells": .array(nameLast ? cells + [.string(object.name)] : [.string(object.name)] + cells)
            ]
            switch includeObject {
            case "None": break
            case "Object": row["object"] = object
            default: row["object"] = ResponseFormat.partial(object)
            }
            return row
        }
        return [
            "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": metadata,
            "columnDefinitions": .array(definitions), "rows": .array(rows),
        ]
    }

    static func cell(_ column: ServedResource.PrinterColumn, _ object: JSON, now: Date) -> JSON {
        if column.jsonPath.hasPrefix("@") { return computed(column.jsonPath, object) }
        guard let value = object.value(atJSONPath: column.jsonPath), !value.isNull else { return .null }
        switch column.type {
        case "date":
            guard column.name != "Created At", let text = value.stringValue,
                let date = try? Date(text, strategy: .iso8601)
            else { return value }
            return .string(humanDuration(now.timeIntervalSince(date)))
        case "integer":
            return value.intValue.map { .int($0) } ?? value
        case "number", "boolean":
            return value
        default:
            switch value {
            case .string: return value
            case .int(let number): return .string(String(number))
            case .bool(let flag): return .string(String(flag))
            default: return .string(value.text)
            }
        }
    }

    static func computed(_ key: String, _ object: JSON) -> JSON {
        switch key {
        case "@podReady":
            let statuses = object[path: ["status", "containerStatuses"]]?.arrayValue ?? []
            let total = object[path: ["spec", "containers"]]?.arrayValue?.count ?? statuses.count
            return .string("\(statuses.filter { $0["ready"]?.boolValue == true }.count)/\(total)")
        case "@podRestarts":
            let statuses = object[path: ["status", "containerStatuses"]]?.arrayValue ?? []
            return .int(statuses.compactMap { $0["restartCount"]?.intValue }.reduce(0, +))
        case "@dataCount":
            return .int((object["data"]?.objectValue?.count ?? 0) + (object["binaryData"]?.objectValue?.count ?? 0))
        case "@involvedObject":
            let kind = object[path: ["involvedObject", "kind"]]?.stringValue?.lowercased() ?? ""
            return .string("\(kind)/\(object[path: ["involvedObject", "name"]]?.stringValue ?? "")")
        case "@readyOfDesired":
            let ready = object[path: ["status", "readyReplicas"]]?.intValue ?? 0
            return .string("\(ready)/\(object[path: ["spec", "replicas"]]?.intValue ?? 0)")
        case "@containerNames", "@containerImages":
            let field = key == "@containerNames" ? "name" : "image"
            let containers = object[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []
            return .string(containers.compactMap { $0[field]?.stringValue }.joined(separator: ","))
        case "@lastSeen":
            let seen =
                object["lastTimestamp"] ?? object["deprecatedLastTimestamp"] ?? object["eventTime"]
                ?? object[path: ["metadata", "creationTimestamp"]]
            guard let text = seen?.stringValue, let date = try? Date(text, strategy: .iso8601) else { return .null }
            return .string(humanDuration(Date().timeIntervalSince(date)))
        case "@regarding":
            let kind = object[path: ["regarding", "kind"]]?.stringValue?.lowercased() ?? ""
            return .string("\(kind)/\(object[path: ["regarding", "name"]]?.stringValue ?? "")")
        case "@roleRef":
            let ref = object["roleRef"] ?? .emptyObject
            return .string("\(ref["kind"]?.stringValue ?? "")/\(ref["name"]?.stringValue ?? "")")
        default:
            return clusterComputed(key, object)
        }
    }

    /// apimachinery's `HumanDuration`: "45s", "5m10s", "3h", "2d", "3y".
    static func humanDuration(_ interval: TimeInterval) -> String {
        let seconds = Int(interval.rounded(.down))
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 { return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(seconds % 60)s" }
        if minutes < 180 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 { return hours % 24 == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(hours % 24)h" }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = hours / 24
            return days % 365 == 0 ? "\(days / 365)y" : "\(days / 365)y\(days % 365)d"
        }
        return "\(hours / 24 / 365)y"
    }
}
