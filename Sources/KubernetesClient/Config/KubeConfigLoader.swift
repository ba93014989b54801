import Foundation
import Transport
import Yams

/// Loads kubeconfig files the way kubectl does and turns the chosen context into a
/// ``ClientConfiguration``.
///
/// Expected flow: the files are `KUBECONFIG` (a `:`-separated list; missing files are skipped) or
/// else `~/.kube/config`. They are merged in order: for clusters, users and contexts the first file
/// that defines a name wins; the first non-empty `current-context` wins. Relative paths
/// (`certificate-authority`, `client-key`, `tokenFile`, a relative exec `command`) resolve against the
/// directory of the file that holds them.
///
/// Errors: ``ConfigurationError`` naming the file and field — unparsable YAML, unknown context,
/// a context naming a missing cluster or user, bad base64, more than one authentication method.
package struct KubeConfigLoader: Sendable {
    package var environment: [String: String]
    package var homeDirectory: String

    package init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        homeDirectory: String = NSHomeDirectory()
    ) {
        self.environment = environment
        self.homeDirectory = homeDirectory
    }

    /// The files to merge, in order.
    package var files: [String] {
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            var seen = Set<String>()
            return list.split(separator: ":").map(String.init).filter { !$0.isEmpty && seen.insert($0).inserted }
        }
        return [homeDirectory + "/.kube/config"]
    }

    /// Loads and merges the files, picks `context` (or the current context) and builds the configuration.
    package func load<C: Clock>(context: String? = nil, clock: C) throws(ConfigurationError) -> ClientConfiguration
    where C.Duration == Duration {
        let merged = try merge()
        guard let contextName = context ?? merged.currentContext, !contextName.isEmpty else {
            throw ConfigurationError(
                source: files.joined(separator: ":"), field: "current-context", message: "no context is selected")
        }
        guard let chosen = merged.contexts[contextName] else {
            throw ConfigurationError(
                source: files.joined(separator: ":"), field: "contexts",
                message: "context \"\(contextName)\" does not exist")
        }
        let contextField = "contexts[\(contextName)].context"
        guard let cluster = merged.clusters[chosen.value.cluster] else {
            throw ConfigurationError(
                source: chosen.file, field: "\(contextField).cluster",
                message: "cluster \"\(chosen.value.cluster)\" does not exist")
        }
        var user: Sourced<KubeConfigFile.User>?
        if let userName = chosen.value.user, !userName.isEmpty {
            guard let found = merged.users[userName] else {
                throw ConfigurationError(
                    source: chosen.file, field: "\(contextField).user", message: "user \"\(userName)\" does not exist")
            }
            user = found
        }
        return try KubeConfigResolver(environment: environment).resolve(
            cluster: cluster, user: user, namespace: chosen.value.namespace, clock: clock)
    }

    struct Sourced<Value> {
        var name: String
        var value: Value
        var file: String
    }

    struct Merged {
        var clusters: [String: Sourced<KubeConfigFile.Cluster>] = [:]
        var users: [String: Sourced<KubeConfigFile.User>] = [:]
        var contexts: [String: Sourced<KubeConfigFile.Context>] = [:]
        var currentContext: String?
    }

    func merge() throws(ConfigurationError) -> Merged {
        var merged = Merged()
        var loadedAny = false
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            loadedAny = true
            let config = try Self.parse(data, file: file)
            for entry in config.clusters ?? [] where merged.clusters[entry.name] == nil {
                merged.clusters[entry.name] = Sourced(name: entry.name, value: entry.cluster, file: file)
            }
            for entry in config.users ?? [] where merged.users[entry.name] == nil {
                merged.users[entry.name] = Sourced(
                    name: entry.name, value: entry.user ?? KubeConfigFile.User(), file: file)
            }
            for entry in config.contexts ?? [] where merged.contexts[entry.name] == nil {
                merged.contexts[entry.name] = Sourced(name: entry.name, value: entry.context, file: file)
            }
            if merged.currentContext?.isEmpty ?? true { merged.currentContext = config.currentContext }
        }
        guard loadedAny else {
            throw ConfigurationError(source: files.joined(separator: ":"), message: "no kubeconfig file exists")
        }
        return merged
    }

    static func parse(_ data: Data, file: String) throws(ConfigurationError) -> KubeConfigFile {
        do {
            return try YAMLDecoder().decode(KubeConfigFile.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw ConfigurationError(
                source: file, field: fieldPath(context.codingPath + [key]), message: "required field is missing")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
            let DecodingError.dataCorrupted(context)
        {
            guard !context.codingPath.isEmpty else {
                throw ConfigurationError(source: file, message: "not a valid kubeconfig: \(context.debugDescription)")
            }
            throw ConfigurationError(
                source: file, field: fieldPath(context.codingPath), message: context.debugDescription)
        } catch {
            throw ConfigurationError(source: file, message: "not a valid kubeconfig: \(error)")
        }
    }

    static func fieldPath(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "(document)" : text
    }
}
