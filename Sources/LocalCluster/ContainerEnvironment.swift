package import Foundation
package import KubernetesClient

/// Builds a container's environment as the kubelet does: `envFrom` sources first (in order, each key
/// with the source's prefix, keys that are not valid variable names skipped), then `env` (which wins),
/// with `$(VAR)` references to earlier variables expanded.
///
/// A Secret or ConfigMap (or one of its keys) that is missing and not `optional` stops the container
/// from starting (the kubelet's `CreateContainerConfigError`).
package struct ContainerEnvironment: Sendable {
    /// Reads a Secret's data (nil when it does not exist).
    package var secret: @Sendable (_ name: String) async throws -> [String: Data]?
    /// Reads a ConfigMap's data (nil when it does not exist).
    package var configMap: @Sendable (_ name: String) async throws -> [String: String]?

    package init(
        secret: @escaping @Sendable (_ name: String) async throws -> [String: Data]?,
        configMap: @escaping @Sendable (_ name: String) async throws -> [String: String]?
    ) {
        self.secret = secret
        self.configMap = configMap
    }

    /// Reads Secrets and ConfigMaps of `namespace` through `client`.
    package init(client: KubernetesClient, namespace: String) {
        self.init(
            secret: { name in
                do {
                    return try await client.get(Secret.self, name: name, namespace: namespace).data ?? [:]
                } catch let error as KubernetesError {
                    if case .notFound = error { return nil }
                    throw error
                }
            },
            configMap: { name in
                do {
                    return try await client.get(RunnerConfigMap.self, name: name, namespace: namespace).data ?? [:]
                } catch let error as KubernetesError {
                    if case .notFound = error { return nil }
                    throw error
                }
            })
    }

    /// The environment of `container` in `pod`.
    ///
    /// - Throws: ``LocalClusterError/containerConfig(_:)`` for a missing required Secret, ConfigMap or
    ///   key, or an unsupported `fieldRef`; API errors as they come.
    package func resolve(_ container: RunnablePod.Container, in pod: RunnablePod) async throws -> [(String, String)] {
        var variables: [(String, String)] = []
        func set(_ name: String, _ value: String) {
            if let index = variables.firstIndex(where: { $0.0 == name }) {
                variables[index].1 = value
            } else {
                variables.append((name, value))
            }
        }
        for source in container.envFrom ?? [] {
            let prefix = source.prefix ?? ""
            if let reference = source.secretRef {
                guard let data = try await secret(reference.name) else {
                    if reference.optional == true { continue }
                    throw LocalClusterError.containerConfig("secret \"\(reference.name)\" not found")
                }
                for (key, value) in data.sorted(by: { $0.key < $1.key }) where Self.isVariableName(prefix + key) {
                    set(prefix + key, String(decoding: value, as: UTF8.self))
                }
            }
            if let reference = source.configMapRef {
                guard let data = try await configMap(reference.name) else {
                    if reference.optional == true { continue }
                    throw LocalClusterError.containerConfig("configmap \"\(reference.name)\" not found")
                }
                for (key, value) in data.sorted(by: { $0.key < $1.key }) where Self.isVariableName(prefix + key) {
                    set(prefix + key, value)
                }
            }
        }
        for variable in container.env ?? [] {
            if let value = variable.value {
                set(variable.name, Self.expand(value, with: variables))
                continue
            }
            guard let source = variable.valueFrom else {
                set(variable.name, "")
                continue
            }
            if let field = source.fieldRef {
                set(variable.name, try Self.field(field.fieldPath, of: pod))
            } else if let reference = source.secretKeyRef {
                let data = try await secret(reference.name)
                if let value = data?[reference.key] {
                    set(variable.name, String(decoding: value, as: UTF8.self))
                } else if reference.optional != true {
                    throw LocalClusterError.containerConfig(
                        data == nil
                            ? "secret \"\(reference.name)\" not found"
                            : "couldn't find key \(reference.key) in Secret \(pod.metadata.namespace ?? "")/\(reference.name)"
                    )
                }
            } else if let reference = source.configMapKeyRef {
                let data = try await configMap(reference.name)
                if let value = data?[reference.key] {
                    set(variable.name, value)
                } else if reference.optional != true {
                    throw LocalClusterError.containerConfig(
                        data == nil
                            ? "configmap \"\(reference.name)\" not found"
                            : "couldn't find key \(reference.key) in ConfigMap \(pod.metadata.namespace ?? "")/\(reference.name)"
                    )
                }
            }
        }
        return variables
    }

    /// The downward-API value of `path` (the field paths a `fieldRef` may name).
    static func field(_ path: String, of pod: RunnablePod) throws(LocalClusterError) -> String {
        switch path {
        case "metadata.name": return pod.metadata.name ?? ""
        case "metadata.namespace": return pod.metadata.namespace ?? ""
        case "metadata.uid": return pod.metadata.uid ?? ""
        case "spec.serviceAccountName": return pod.spec?.serviceAccountName ?? "default"
        case "spec.nodeName": return pod.spec?.nodeName ?? ""
        case "status.podIP": return pod.status?["podIP"]?.stringValue ?? ""
        case "status.hostIP": return pod.status?["hostIP"]?.stringValue ?? ""
        default:
            for (prefix, values) in [
                ("metadata.labels['", pod.metadata.labels), ("metadata.annotations['", pod.metadata.annotations),
            ] where path.hasPrefix(prefix) && path.hasSuffix("']") {
                let key = String(path.dropFirst(prefix.count).dropLast(2))
                return values?[key] ?? ""
            }
            throw .containerConfig("unsupported fieldPath \"\(path)\"")
        }
    }

    /// Expands `$(NAME)` references to variables defined so far; `$$` is a literal `$`, and a reference
    /// to an undefined variable stays as written (the kubelet's rules).
    package static func expand(_ text: String, with variables: [(String, String)]) -> String {
        guard text.contains("$") else { return text }
        var output = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            guard character == "$", next < text.endIndex else {
                output.append(character)
                index = next
                continue
            }
            if text[next] == "$" {
                output.append("$")
                index = text.index(after: next)
            } else if text[next] == "(", let close = text[next...].firstIndex(of: ")") {
                let name = String(text[text.index(after: next)..<close])
                if let value = variables.last(where: { $0.0 == name })?.1 {
                    output += value
                } else {
                    output += text[index...close]
                }
                index = text.index(after: close)
            } else {
                output.append(character)
                index = next
            }
        }
        return output
    }

    /// A C identifier-like name (letters, digits, `_`, `-`, `.`, not starting with a digit), as
    /// Kubernetes accepts for environment variables.
    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || "_-.".unicodeScalars
                    .contains($0)
        }
    }
}
