/// A user name and secret for one registry (from a dockerconfigjson Secret or a docker config file).
///
/// The description never shows the secret; it exists only in memory, in requests to the registry or
/// its token server.
package struct RegistryCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    package var username: String
    package var password: String

    package init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// `Basic base64(user:password)`, for registries with Basic auth and for token servers.
    package var basicAuthorization: String {
        "Basic " + Base64.encode(Array("\(username):\(password)".utf8))
    }

    package var description: String { "credentials for \(username) (secret redacted)" }
    package var debugDescription: String { description }
}
