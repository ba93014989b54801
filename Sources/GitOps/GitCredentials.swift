package import Foundation

/// How git authenticates to the repository: nothing, an HTTPS username and token, or an SSH key with
/// the known host keys it must check against.
///
/// The secret material never appears in an argument list, a log line or an error message: it is
/// written to files under a private (0700) directory for the duration of one operation (see
/// ``GitSession``). `description` redacts it.
package enum GitCredentials: Sendable, Hashable, CustomStringConvertible {
    case anonymous
    /// HTTPS basic authentication (a token as the password, as GitHub, GitLab and Gitea accept it).
    case https(username: String, token: String)
    /// An SSH private key (OpenSSH format) and a known_hosts file; host keys are always checked.
    case ssh(privateKey: Data, knownHosts: Data)

    package var description: String {
        switch self {
        case .anonymous: "anonymous"
        case .https(let username, _): "https user \(username) with a token (redacted)"
        case .ssh: "ssh key (redacted) with known_hosts"
        }
    }

    /// The strings that must never be shown (redacted from git's output).
    var secrets: [String] {
        switch self {
        case .anonymous, .ssh: []
        case .https(_, let token): token.isEmpty ? [] : [token]
        }
    }
}
