import Foundation
import Transport

/// Serves one resource request: RBAC, then the verb, rendering objects, lists, Tables or watch lines
/// as the `Accept` header asks.
struct ResourceHandler: Sendable {
    let emulator: Emulator
    let request: EmulatorRequest
    let identity: Identity
    let verb: String
    /// The effective groups when impersonating; nil: those authentication gives the identity.
    var groups: Set<String>? = nil

    func handle(_ target: RequestTarget.ResourceRequest) async throws(APIError) -> EmulatorResponse {
        guard let type = await emulator.lookup(group: target.group, version: target.version, plural: target.plural)
        else { throw APIError.unknownPath }
        if !type.namespaced && target.namespace != nil { throw APIError.unknownPath }
        if let answer = try await review(type, target) { return answer }
        let subresource = try subresourceKind(target.subresource, type)
        try await authorize(type, target)
        let format = ResponseFormat(accept: request.headers["Accept"], includeObject: request.query["includeObject"])
        let namespace = type.namespaced ? target.namespace : nil
        let dryRun = request.query["dryRun"] == "All"
        let strict = request.query["fieldValidation"] == "Strict"

        switch (request.method, target.name) {
        case ("GET", nil):
            if request.flag("watch") { return try await watch(type, namespace: namespace, format: format) }
            let result = try await emulator.list(type, namespace: namespace, options: try listOptions(type))
            return .json(200, format.list(result, type: type))
        case ("GET", let name?):
            if subresource == .scale {
                return .json(200, try await emulator.getScale(type, namespace: namespace, name: name))
            }
            let object = try await emulator.get(type, namespace: namespace, name: name)
            return .json(200, format.single(object, type: type))
        case ("POST", nil):
            let created = try await emulator.create(
                type, namespace: namespace, body: try jsonBody(), dryRun: dryRun, strictFields: strict)
            return .json(201, created)
        case ("PUT", let name?):
            if subresource == .scale {
                return .json(
                    200, try await emulator.updateScale(type, namespace: namespace, name: name, body: try jsonBody()))
            }
            let updated = try await emulator.update(
                type, namespace: namespace, name: name, body: try jsonBody(), subresource: subresource, dryRun: dryRun,
                strictFields: strict)
            return .json(200, updated)
        case ("PATCH", let name?):
            let contentType = request.headers["Content-Type"] ?? ""
            guard
                let patchType = PatchType(
                    contentType: contentType, fieldManager: request.query["fieldManager"], force: request.flag("force"))
            else {
                throw APIError.unsupportedMediaType(
                    "the body of the request was in an unknown format - accepted media types include: "
                        + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
                        + (type.isBuiltIn ? ", application/strategic-merge-patch+json" : ""))
            }
            let result = try await emulator.patch(
                type, namespace: namespace, name: name, patchType: patchType, body: request.body,
                subresource: subresource, dryRun: dryRun, strictFields: strict)
            return .json(result.created ? 201 : 200, result.object)
        case ("DELETE", let name?):
            var options = Emulator.DeleteOptions()
            if !request.body.isEmpty, let body = try? JSON(parsing: request.body) {
                options = Emulator.DeleteOptions(body: body)
            }
            if let policy = request.query["propagationPolicy"] { options.propagationPolicy = policy }
            if dryRun { options.dryRun = true }
            let deleted = try await emulator.delete(type, namespace: namespace, name: name, options: options)
            return .json(200, deleted)
        case ("DELETE", nil):
            let result = try await emulator.list(type, namespace: namespace, options: try listOptions(type))
            var deleted: [JSON] = []
            for item in result.items {
                deleted.append(try await emulator.delete(type, namespace: item.namespace, name: item.name))
            }
            return .json(
                200, format.list(ListResult(items: deleted, resourceVersion: result.resourceVersion), type: type))
        default:
            throw APIError.methodNotAllowed
        }
    }

    private func subresourceKind(_ name: String?, _ type: ServedResource) throws(APIError) -> Subresource {
        switch name {
        case nil: return .main
        case "status" where type.statusSubresource: return .status
        case "scale" where type.scale != nil: return .scale
        default: throw APIError.unknownPath
        }
    }

    func authorize(_ type: ServedResource, _ target: RequestTarget.ResourceRequest) async throws(APIError) {
        guard case .user(let user) = identity else { return }
        let resource = target.subresource.map { "\(type.plural)/\($0)" } ?? type.plural
        let allowed = await emulator.authorize(
            user: user, groups: groups, verb: verb, group: type.group, resource: resource, namespace: target.namespace,
            name: target.name)
        guard allowed else {
            let subject = target.name.map { "\(type.qualifiedName) \"\($0)\"" } ?? type.qualifiedName
            let scope = target.namespace.map { "in the namespace \"\($0)\"" } ?? "at the cluster scope"
            throw APIError.forbidden(
                "\(subject) is forbidden: User \"\(user)\" cannot \(verb) resource \"\(resource)\" in API group "
                    + "\"\(type.group)\" \(scope)", resource: type, name: target.name)
        }
    }

    func jsonBody() throws(APIError) -> JSON {
        let contentType = (request.headers["Content-Type"] ?? "application/json").lowercased()
        if ProtobufBody.isProtobuf(contentType: contentType) { return try ProtobufBody.decode(request.body) }
        if contentType.contains("protobuf") || contentType.contains("cbor") {
            throw APIError.unsupportedMediaType(
                "the body of the request was in an unknown format - accepted media types include: "
                    + "application/json, application/yaml")
        }
        do {
            return try JSON(parsing: request.body)
        } catch {
            throw APIError.badRequest("the body of the request could not be decoded as JSON: \(error)")
        }
    }

    private func listOptions(_ type: ServedResource) throws(APIError) -> Emulator.ListOptions {
        var options = Emulator.ListOptions()
        if let selector = request.query["labelSelector"] {
            options.labelSelector = try LabelSelector(parsing: selector)
        }
        if let selector = request.query["fieldSelector"] {
            options.fieldSelector = try FieldSelector(parsing: selector, for: type)
        }
        if let limit = request.query["limit"] {
            guard let value = Int(limit), value >= 0 else { throw APIError.badRequest("invalid limit: \(limit)") }
            options.limit = value
        }
        options.continueToken = request.query["continue"]
        options.resourceVersion = request.query["resourceVersion"]
        options.resourceVersionMatch = request.query["resourceVersionMatch"]
        return options
    }

    private func watch(_ type: ServedResource, namespace: String?, format: ResponseFormat) async throws(APIError)
        -> EmulatorResponse
    {
        let list = try listOptions(type)
        var options = Emulator.WatchOptions()
        options.labelSelector = list.labelSelector
        options.fieldSelector = list.fieldSelector
        options.resourceVersion = list.resourceVersion
        options.allowWatchBookmarks = request.flag("allowWatchBookmarks")
        options.sendInitialEvents = request.flag("sendInitialEvents")
        if let timeout = request.query["timeoutSeconds"] {
            guard let seconds = Int(timeout), seconds >= 0 else {
                throw APIError.badRequest("invalid timeoutSeconds: \(timeout)")
            }
            if seconds > 0 { options.timeout = .seconds(seconds) }
        }
        let lines = await emulator.watch(type, namespace: namespace, options: options, identity: identity)
        // Bounded like the emulator's per-watcher queue: a client that does not keep up loses its
        // watch (and re-watches, getting 410 if it fell too far behind) instead of growing memory.
        let limit = emulator.configuration.watcherBufferLimit
        let stream = AsyncStream<Data>(bufferingPolicy: .bufferingOldest(limit)) { continuation in
            let task = Task {
                for await line in lines {
                    var data = format.watchEvent(line, type: type).encoded()
                    data.append(UInt8(ascii: "\n"))
                    if case .dropped = continuation.yield(data) { break }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
        let headers = EmulatorResponse.jsonHeaders
        return EmulatorResponse(status: 200, headers: headers, body: .stream(stream))
    }
}
