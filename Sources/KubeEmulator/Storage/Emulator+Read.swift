import Foundation

extension Emulator {
    /// Options of a LIST (and of the initial state of a WATCH).
    package struct ListOptions: Sendable {
        package var labelSelector: LabelSelector = .everything
        package var fieldSelector: FieldSelector = .everything
        package var limit: Int?
        package var continueToken: String?
        package var resourceVersion: String?
        package var resourceVersionMatch: String?

        package init() {}
    }
}

/// One page of a LIST.
package struct ListResult: Sendable {
    package var items: [JSON]
    /// The global resourceVersion at read time (≥ every item's); a watch from it misses nothing.
    package var resourceVersion: Int
    package var continueToken: String?
    package var remainingItemCount: Int?
}

extension Emulator {
    /// GET of one object.
    ///
    /// - Throws: ``APIError`` 404 NotFound.
    package func get(_ type: ServedResource, namespace: String?, name: String) throws(APIError) -> JSON {
        guard let object = stored(type, namespace: namespace, name: name) else {
            throw APIError.notFound(type, name: name)
        }
        return present(object, as: type)
    }

    /// LIST, sorted by namespace/name, filtered by selectors, paged by `limit`/`continue`.
    ///
    /// - Throws: ``APIError`` 410 Expired for a continue token or an exact resourceVersion older than the
    ///   retained history, or a resourceVersion newer than the current one (a client that outlived a
    ///   restart); 400 for a malformed token.
    package func list(_ type: ServedResource, namespace: String?, options: ListOptions = ListOptions()) throws(APIError)
        -> ListResult
    {
        if let requested = options.resourceVersion, !requested.isEmpty, requested != "0" {
            guard let version = Int(requested) else {
                throw APIError.badRequest("invalid resource version: \(requested)")
            }
            if version > resourceVersion {
                throw APIError.expired("too old resource version: \(version) (\(resourceVersion))")
            }
            if options.resourceVersionMatch == "Exact" && version != resourceVersion {
                throw APIError.expired("too old resource version: \(version) (\(resourceVersion))")
            }
        }
        var startAfter: String? = nil
        if let token = options.continueToken, !token.isEmpty {
            guard let data = Data(base64Encoded: token), let decoded = try? JSON(parsing: data),
                let tokenVersion = decoded["rv"]?.intValue, let start = decoded["start"]?.stringValue
            else {
                throw APIError.badRequest("continue key is not valid: incorrect encoded start resourceVersion")
            }
            if tokenVersion < compactedThrough {
                throw APIError.expired(
                    "The provided continue parameter is too old to display a consistent list result. You can start "
                        + "a new list without the continue parameter, or use the continue token in this response "
                        + "to retrieve the remainder of the results.")
            }
            startAfter = start
        }
        let all = objects[type.storageKey] ?? [:]
        var keys = all.keys.sorted()
        if let startAfter { keys = Array(keys.drop { $0 <= startAfter }) }
        var items: [JSON] = []
        var nextStart: String? = nil
        var remaining = 0
        for key in keys {
            guard let object = all[key] else { continue }
            if type.namespaced, let namespace, object.namespace != namespace { continue }
            guard options.labelSelector.matches(object.labels), options.fieldSelector.matches(object) else { continue }
            if let limit = options.limit, limit > 0, items.count >= limit {
                remaining += 1
                continue
            }
            items.append(present(object, as: type))
            nextStart = key
        }
        var result = ListResult(items: items, resourceVersion: resourceVersion)
        if remaining > 0, let nextStart {
            let token: JSON = ["rv": .int(resourceVersion), "start": .string(nextStart)]
            result.continueToken = token.encoded().base64EncodedString()
            result.remainingItemCount = remaining
        }
        return result
    }
}
