import Foundation

/// JSON Patch (RFC 6902): `add`, `remove`, `replace`, `move`, `copy`, `test` with JSON Pointers.
package enum JSONPatch {
    /// Why an operation failed; the emulator answers 422 Invalid (or 400 for a malformed document).
    package enum Failure: Error, Sendable {
        case malformed(String)
        case failed(String)
    }

    /// Applies every operation in order; any failure aborts the whole patch.
    package static func apply(_ patch: JSON, to target: JSON) throws(Failure) -> JSON {
        guard let operations = patch.arrayValue else { throw .malformed("a JSON patch must be an array of operations") }
        var document = target
        for operation in operations {
            guard let op = operation["op"]?.stringValue, let path = operation["path"]?.stringValue else {
                throw .malformed("each operation needs \"op\" and \"path\"")
            }
            let pointer = try parsePointer(path)
            switch op {
            case "add":
                guard let value = operation["value"] else { throw .malformed("add needs a value") }
                document = try add(value, at: pointer, in: document)
            case "remove":
                document = try remove(at: pointer, in: document).document
            case "replace":
                guard let value = operation["value"] else { throw .malformed("replace needs a value") }
                _ = try get(pointer, in: document)
                document = try remove(at: pointer, in: document).document
                document = try add(value, at: pointer, in: document)
            case "move":
                guard let from = operation["from"]?.stringValue else { throw .malformed("move needs from") }
                let removed = try remove(at: try parsePointer(from), in: document)
                document = try add(removed.value, at: pointer, in: removed.document)
            case "copy":
                guard let from = operation["from"]?.stringValue else { throw .malformed("copy needs from") }
                document = try add(try get(try parsePointer(from), in: document), at: pointer, in: document)
            case "test":
                guard let value = operation["value"] else { throw .malformed("test needs a value") }
                let actual = try get(pointer, in: document)
                guard actual == value else {
                    throw .failed("testing value \(path) failed: expected \(value.text), found \(actual.text)")
                }
            default:
                throw .malformed("unexpected op \"\(op)\"")
            }
        }
        return document
    }

    static func parsePointer(_ path: String) throws(Failure) -> [String] {
        if path.isEmpty { return [] }
        guard path.hasPrefix("/") else { throw .malformed("path \"\(path)\" must start with /") }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    static func get(_ pointer: [String], in document: JSON) throws(Failure) -> JSON {
        var current = document
        for token in pointer {
            switch current {
            case .object(let members):
                guard let next = members[token] else {
                    throw .failed("missing value at /\(pointer.joined(separator: "/"))")
                }
                current = next
            case .array(let items):
                guard let index = Int(token), index >= 0, index < items.count else {
                    throw .failed("index out of range at /\(pointer.joined(separator: "/"))")
                }
                current = items[index]
            default:
                throw .failed("missing value at /\(pointer.joined(separator: "/"))")
            }
        }
        return current
    }

    static func add(_ value: JSON, at pointer: [String], in document: JSON) throws(Failure) -> JSON {
        guard let token = pointer.first else { return value }
        let rest = Array(pointer.dropFirst())
        switch document {
        case .object(var members):
            if rest.isEmpty {
                members[token] = value
            } else {
                guard let child = members[token] else {
                    throw .failed("doc is missing path: /\(pointer.joined(separator: "/"))")
                }
                members[token] = try add(value, at: rest, in: child)
            }
            return .object(members)
        case .array(var items):
            if rest.isEmpty {
                if token == "-" {
                    items.append(value)
                } else {
                    guard let index = Int(token), index >= 0, index <= items.count else {
                        throw .failed("add operation index out of bounds: \(token)")
                    }
                    items.insert(value, at: index)
                }
            } else {
                guard let index = Int(token), index >= 0, index < items.count else {
                    throw .failed("index out of bounds: \(token)")
                }
                items[index] = try add(value, at: rest, in: items[index])
            }
            return .array(items)
        default:
            throw .failed("doc is missing path: /\(pointer.joined(separator: "/"))")
        }
    }

    static func remove(at pointer: [String], in document: JSON) throws(Failure) -> (document: JSON, value: JSON) {
        guard let token = pointer.first else { throw .failed("cannot remove the whole document") }
        let rest = Array(pointer.dropFirst())
        switch document {
        case .object(var members):
            guard let child = members[token] else {
                throw .failed("unable to remove nonexistent key: \(token): missing value")
            }
            if rest.isEmpty {
                members[token] = nil
                return (.object(members), child)
            }
            let result = try remove(at: rest, in: child)
            members[token] = result.document
            return (.object(members), result.value)
        case .array(var items):
            guard let index = Int(token), index >= 0, index < items.count else {
                throw .failed("remove operation index out of bounds: \(token)")
            }
            if rest.isEmpty {
                let value = items.remove(at: index)
                return (.array(items), value)
            }
            let result = try remove(at: rest, in: items[index])
            items[index] = result.document
            return (.array(items), result.value)
        default:
            throw .failed("unable to remove nonexistent key: \(token)")
        }
    }
}
