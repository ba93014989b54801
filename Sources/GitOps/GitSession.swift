package import Foundation

/// The private environment of one git operation: a fresh HOME, no system or global configuration, no
/// credential helper, no terminal prompt, and the credentials as 0600 files in a 0700 directory that
/// ``withSession(root:credentials:author:runner:_:)`` removes afterwards.
///
/// - HTTPS: `GIT_ASKPASS` is a private script that prints the username or the token from those files
///   when git asks (after the server's 401); the token is in no argument list, environment variable,
///   URL or log line.
/// - SSH: `GIT_SSH_COMMAND` uses the key file with `IdentitiesOnly`, the known_hosts file with
///   `StrictHostKeyChecking=yes` (an unknown or changed host key fails), `BatchMode` and `-F /dev/null`.
/// - Without credentials the askpass script fails, so a server asking for credentials fails at once
///   instead of waiting for a prompt.
package struct GitSession: Sendable {
    /// Who commits: the operator.
    package struct Author: Sendable, Hashable {
        package var name: String
        package var email: String
        package init(name: String = "k8supdater", email: String = "k8supdater@k8supdater.io") {
            self.name = name
            self.email = email
        }
    }

    /// The session's private directory (HOME, askpass, keys, captured output).
    package let directory: String
    package let environment: [String: String]
    package let secrets: [String]
    package let runner: GitCommandRunner

    /// Runs git in `directory` with this session's environment.
    package func git(
        _ arguments: [String], in workingDirectory: String, input: Data? = nil
    ) async throws(GitCommandError) -> GitCommandRunner.Output {
        try await runner.run(
            arguments, in: workingDirectory, environment: environment, scratch: directory, input: input,
            secrets: secrets)
    }

    /// Creates the session under `root`, runs `body`, and removes every file it wrote.
    package static func withSession<Result: Sendable>(
        root: String, credentials: GitCredentials, author: Author, runner: GitCommandRunner,
        _ body: (GitSession) async throws(GitCommandError) -> Result
    ) async throws(GitCommandError) -> Result {
        let directory = "\(root)/.session-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let session: GitSession
        do {
            session = try make(directory: directory, credentials: credentials, author: author, runner: runner)
        } catch {
            throw GitCommandError(.failed, "the private git environment could not be written under \(root): \(error)")
        }
        return try await body(session)
    }

    private static func make(
        directory: String, credentials: GitCredentials, author: Author, runner: GitCommandRunner
    ) throws -> GitSession {
        let manager = FileManager.default
        let home = "\(directory)/home"
        try manager.createDirectory(
            atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory)
        func write(_ name: String, _ data: Data, mode: Int = 0o600) throws -> String {
            let path = "\(directory)/\(name)"
            guard manager.createFile(atPath: path, contents: data, attributes: [.posixPermissions: mode]) else {
                throw CocoaError(.fileWriteUnknown)
            }
            return path
        }
        let askpass: String
        var environment: [String: String] = [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": home,
            "XDG_CONFIG_HOME": "\(home)/.config",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_ALLOW_PROTOCOL": "http:https:ssh:git",
            // No credential helper (configuration from the environment, not the command line).
            "GIT_CONFIG_COUNT": "2",
            "GIT_CONFIG_KEY_0": "credential.helper",
            "GIT_CONFIG_VALUE_0": "",
            "GIT_CONFIG_KEY_1": "core.hooksPath",
            "GIT_CONFIG_VALUE_1": "/dev/null",
            "LC_ALL": "C",
            "LANG": "C",
            "GIT_AUTHOR_NAME": author.name,
            "GIT_AUTHOR_EMAIL": author.email,
            "GIT_COMMITTER_NAME": author.name,
            "GIT_COMMITTER_EMAIL": author.email,
            // Never an interactive SSH: no agent, no prompt, checked host keys.
            "GIT_SSH_COMMAND":
                "ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=/dev/null "
                + "-o GlobalKnownHostsFile=/dev/null -o IdentityAgent=none",
        ]
        switch credentials {
        case .anonymous:
            askpass = try write("askpass", Data("#!/bin/sh\nexit 1\n".utf8), mode: 0o700)
        case .https(let username, let token):
            let user = try write("username", Data(username.utf8))
            let secret = try write("token", Data(token.utf8))
            let script = """
                #!/bin/sh
                case "$1" in
                  [Uu]sername*) exec cat '\(user)' ;;
                  *) exec cat '\(secret)' ;;
                esac

                """
            askpass = try write("askpass", Data(script.utf8), mode: 0o700)
        case .ssh(let key, let knownHosts):
            askpass = try write("askpass", Data("#!/bin/sh\nexit 1\n".utf8), mode: 0o700)
            var keyData = key
            if keyData.last != UInt8(ascii: "\n") { keyData.append(UInt8(ascii: "\n")) }
            let keyPath = try write("id_key", keyData)
            let hostsPath = try write("known_hosts", knownHosts)
            environment["GIT_SSH_COMMAND"] = Self.sshCommand(key: keyPath, knownHosts: hostsPath)
        }
        environment["GIT_ASKPASS"] = askpass
        environment["SSH_ASKPASS"] = askpass
        return GitSession(
            directory: directory, environment: environment, secrets: credentials.secrets, runner: runner)
    }

    /// The ssh command line git uses: only this key, only these host keys, never a prompt.
    package static func sshCommand(key: String, knownHosts: String) -> String {
        "ssh -F /dev/null -i '\(key)' -o IdentitiesOnly=yes -o IdentityAgent=none -o BatchMode=yes "
            + "-o PasswordAuthentication=no -o StrictHostKeyChecking=yes -o UserKnownHostsFile='\(knownHosts)' "
            + "-o GlobalKnownHostsFile=/dev/null"
    }
}
