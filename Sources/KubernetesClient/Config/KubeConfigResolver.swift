import Foundation
import Transport

/// Turns one kubeconfig cluster + user into a ``ClientConfiguration``: TLS material, the auth
/// provider, paths resolved against the defining file.
struct KubeConfigResolver {
    var environment: [String: String]

    func resolve<C: Clock>(
        cluster: KubeConfigLoader.Sourced<KubeConfigFile.Cluster>,
        user: KubeConfigLoader.Sourced<KubeConfigFile.User>?, namespace: String?, clock: C
    ) throws(ConfigurationError) -> ClientConfiguration where C.Duration == Duration {
        let clusterField = "clusters[\(cluster.name)].cluster"
        guard let server = cluster.value.server, !server.isEmpty else {
            throw ConfigurationError(source: cluster.file, field: "\(clusterField).server", message: "is empty")
        }
        guard server.hasPrefix("https://") || server.hasPrefix("http://") else {
            throw ConfigurationError(
                source: cluster.file, field: "\(clusterField).server", message: "must start with https:// or http://")
        }
        var tls = TLSConfiguration(
            insecureSkipVerify: cluster.value.insecureSkipTLSVerify ?? false, serverName: cluster.value.tlsServerName)
        tls.certificateAuthority = try pem(
            data: cluster.value.certificateAuthorityData, file: cluster.value.certificateAuthority,
            in: cluster, field: "\(clusterField).certificate-authority")
        var auth: any AuthProvider = AnonymousAuth()
        if let user {
            let userField = "users[\(user.name)].user"
            let value = user.value
            tls.clientCertificate = try pem(
                data: value.clientCertificateData, file: value.clientCertificate, in: user,
                field: "\(userField).client-certificate")
            tls.clientKey = try pem(
                data: value.clientKeyData, file: value.clientKey, in: user, field: "\(userField).client-key")
            if (tls.clientCertificate == nil) != (tls.clientKey == nil) {
                throw ConfigurationError(
                    source: user.file, field: userField,
                    message: "client-certificate and client-key must be given together")
            }
            auth = try authProvider(user: user, field: userField, cluster: cluster, server: server, clock: clock)
        }
        return ClientConfiguration(
            server: server, tls: tls, auth: auth, namespace: namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default")
    }

    private func authProvider<C: Clock>(
        user: KubeConfigLoader.Sourced<KubeConfigFile.User>, field: String,
        cluster: KubeConfigLoader.Sourced<KubeConfigFile.Cluster>, server: String, clock: C
    ) throws(ConfigurationError) -> any AuthProvider where C.Duration == Duration {
        let value = user.value
        var methods: [String] = []
        if nonEmpty(value.token) != nil || nonEmpty(value.tokenFile) != nil { methods.append("token") }
        if nonEmpty(value.username) != nil || nonEmpty(value.password) != nil { methods.append("basicAuth") }
        if value.exec != nil { methods.append("exec") }
        if let provider = value.authProvider {
            throw ConfigurationError(
                source: user.file, field: "\(field).auth-provider",
                message: "auth-provider \"\(provider.name ?? "")\" is not supported; use an exec plugin")
        }
        guard methods.count <= 1 else {
            throw ConfigurationError(
                source: user.file, field: field,
                message: "more than one authentication method found: \(methods.joined(separator: ", "))")
        }
        if let tokenFile = nonEmpty(value.tokenFile) {
            return TokenFileAuth(path: absolute(tokenFile, relativeTo: user.file), clock: clock)
        }
        if let token = nonEmpty(value.token) { return BearerTokenAuth(token: token) }
        if methods.first == "basicAuth" {
            return BasicAuth(username: value.username ?? "", password: value.password ?? "")
        }
        if var exec = value.exec {
            guard ExecPluginConfig.supportedAPIVersions.contains(exec.apiVersion) else {
                throw ConfigurationError(
                    source: user.file, field: "\(field).exec.apiVersion",
                    message: "unsupported \(exec.apiVersion); use client.authentication.k8s.io/v1")
            }
            if exec.command.contains("/") { exec.command = absolute(exec.command, relativeTo: user.file) }
            let clusterInfo = ExecClusterInfo(
                server: server, certificateAuthorityData: cluster.value.certificateAuthorityData,
                insecureSkipTLSVerify: cluster.value.insecureSkipTLSVerify, tlsServerName: cluster.value.tlsServerName)
            return ExecCredentialAuth(config: exec, cluster: clusterInfo, environment: environment)
        }
        return AnonymousAuth()
    }

    /// `*-data` (base64, wins over the file, as in kubectl) or a file path resolved against the kubeconfig.
    private func pem<Value>(
        data: String?, file: String?, in source: KubeConfigLoader.Sourced<Value>, field: String
    ) throws(ConfigurationError) -> TLSConfiguration.PEMSource? {
        if let data = nonEmpty(data) {
            guard let decoded = Data(base64Encoded: data, options: .ignoreUnknownCharacters), !decoded.isEmpty else {
                throw ConfigurationError(source: source.file, field: field + "-data", message: "is not valid base64")
            }
            return .bytes(decoded)
        }
        if let file = nonEmpty(file) {
            let path = absolute(file, relativeTo: source.file)
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ConfigurationError(source: source.file, field: field, message: "cannot read \(path)")
            }
            return .file(path)
        }
        return nil
    }

    private func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    private func absolute(_ path: String, relativeTo file: String) -> String {
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~/"), let home = environment["HOME"] { return home + path.dropFirst() }
        let directory = (file as NSString).deletingLastPathComponent
        return directory.isEmpty ? path : directory + "/" + path
    }
}
