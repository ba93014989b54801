import Foundation
import Transport

/// The one request handler behind both fronts: authentication, fault hooks, RBAC, then discovery,
/// OpenAPI, `/version` or a resource verb, each answered with a proper `Status` on failure.
package struct EmulatorRouter: Sendable {
    package let emulator: Emulator

    package init(emulator: Emulator) { self.emulator = emulator }

    /// Answers one request. Never throws: every failure is a response.
    package func respond(to request: EmulatorRequest) async -> EmulatorResponse {
        guard let authenticated = await emulator.identity(forToken: request.bearerToken) else {
            return .error(.unauthorized)
        }
        let identity: Identity
        let groups: Set<String>?
        do throws(APIError) {
            (identity, groups) = try await emulator.impersonate(authenticated, headers: request.headers)
        } catch {
            return .error(error)
        }
        guard let target = RequestTarget(path: request.path) else { return .error(.unknownPath) }
        let (verb, resource) = Self.classify(request, target)
        emulator.requests.record(identity: identity.description, verb: verb, resource: resource)
        while emulator.faults.isFrozen(identity) {
            do { try await Task.sleep(for: .milliseconds(5)) } catch { return .dropped }
        }
        switch emulator.faults.decide(verb: verb, resource: resource, identity: identity) {
        case .drop:
            return .dropped
        case .fail(let error, let latency):
            if latency > .zero { try? await emulator.clock.sleep(for: latency) }
            return .error(error)
        case .proceed(let latency):
            if latency > .zero { try? await emulator.clock.sleep(for: latency) }
        }
        do throws(APIError) {
            switch target {
            case .version: return .json(200, Discovery.version)
            case .health:
                return EmulatorResponse(
                    status: 200, headers: ["Content-Type": "text/plain"], body: .data(Data("ok".utf8)))
            case .legacyRoot, .groupList, .group, .resourceList:
                return try await Discovery.respond(target, request: request, registry: emulator.registrySnapshot)
            case .openAPIv2:
                return EmulatorResponse(
                    status: 404, headers: EmulatorResponse.jsonHeaders,
                    body: .data(APIError.unknownPath.status.encoded()))
            case .openAPIv3Root, .openAPIv3:
                return try await OpenAPI.respond(target, registry: emulator.registrySnapshot)
            case .resource(let resourceRequest):
                let response = try await ResourceHandler(
                    emulator: emulator, request: request, identity: identity, verb: verb, groups: groups
                ).handle(resourceRequest)
                if (200..<300).contains(response.status),
                    let error = emulator.faults.afterApply.error(verb: verb, resource: resource)
                {
                    return .error(error)
                }
                return response
            }
        } catch {
            return .error(error)
        }
    }

    /// The Kubernetes verb and resource (`plural` or `plural/subresource`) of a request.
    static func classify(_ request: EmulatorRequest, _ target: RequestTarget) -> (verb: String, resource: String?) {
        guard case .resource(let resource) = target else { return ("get", nil) }
        let name = resource.subresource.map { "\(resource.plural)/\($0)" } ?? resource.plural
        switch request.method {
        case "GET", "HEAD":
            if resource.name == nil { return (request.flag("watch") ? "watch" : "list", name) }
            return ("get", name)
        case "POST": return ("create", name)
        case "PUT": return ("update", name)
        case "PATCH": return ("patch", name)
        case "DELETE": return (resource.name == nil ? "deletecollection" : "delete", name)
        default: return (request.method.lowercased(), name)
        }
    }
}
