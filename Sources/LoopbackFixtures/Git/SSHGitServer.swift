package import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A loopback OpenSSH server (`sshd -D` with its own configuration, host key and authorized key)
/// through which git reaches the bare repositories on this machine as the current user: the peer for
/// write-back over SSH (a key, known_hosts, `StrictHostKeyChecking=yes`).
package struct SSHGitServer: Sendable {
    package let port: Int
    /// The user git logs in as (the current one).
    package let user: String
    /// The client's private key (OpenSSH format), authorized on the server.
    package let clientKey: Data
    /// A known_hosts file naming the server's host key for `[127.0.0.1]:<port>`.
    package let knownHosts: Data
    /// A known_hosts file with a different key for the same host (a man in the middle, as ssh sees it).
    package let wrongKnownHosts: Data

    /// `ssh://<user>@127.0.0.1:<port><absolute path>`.
    package func url(_ path: String) -> String { "ssh://\(user)@127.0.0.1:\(port)\(path)" }

    /// The sshd executable.
    package static let sshd = "/usr/sbin/sshd"

    /// Runs sshd (keys and configuration in `directory`) while `body` runs.
    package static func withServer<Result: Sendable>(
        directory: String, _ body: (SSHGitServer) async throws -> Result
    ) async throws -> Result {
        let sshd = try SystemTool.require(Self.sshd)
        let keygen = try SystemTool.require("ssh-keygen")
        let base = "\(directory)/sshd"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        for name in ["host_key", "client_key", "other_key"] {
            _ = try ToolRunner.run(keygen, ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", "\(base)/\(name)"])
        }
        try FileManager.default.copyItem(atPath: "\(base)/client_key.pub", toPath: "\(base)/authorized_keys")
        if getuid() == 0 {
            // sshd started by root needs its privilege separation directory.
            try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        }
        let port = try FreeLoopbackPort.next()
        let configuration = """
            ListenAddress 127.0.0.1
            Port \(port)
            HostKey \(base)/host_key
            AuthorizedKeysFile \(base)/authorized_keys
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            PermitRootLogin prohibit-password
            PidFile \(base)/sshd.pid
            LogLevel VERBOSE

            """
        try Data(configuration.utf8).write(to: URL(fileURLWithPath: "\(base)/sshd_config"))
        func knownHosts(_ key: String) throws -> Data {
            let publicKey = try String(contentsOfFile: "\(base)/\(key).pub", encoding: .utf8)
                .split(separator: " ").prefix(2).joined(separator: " ")
            return Data("[127.0.0.1]:\(port) \(publicKey)\n".utf8)
        }
        let server = SSHGitServer(
            port: port, user: currentUser(),
            clientKey: try Data(contentsOf: URL(fileURLWithPath: "\(base)/client_key")),
            knownHosts: try knownHosts("host_key"), wrongKnownHosts: try knownHosts("other_key"))
        // sshd daemonizes itself (no -D): a long-lived child of the test process would keep
        // Foundation from noticing that later children (git) exited, until it ends.
        _ = try ToolRunner.run(sshd, ["-f", "\(base)/sshd_config", "-E", "\(base)/sshd.log"])
        defer { stop(pidFile: "\(base)/sshd.pid") }
        var attempts = 0
        while !FreeLoopbackPort.isAccepting(port) {
            attempts += 1
            guard attempts < 400 else {
                throw FixtureError(
                    "sshd did not listen: \((try? String(contentsOfFile: "\(base)/sshd.log", encoding: .utf8)) ?? "")")
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        return try await body(server)
    }

    /// Stops the daemon named by its pid file (it handles SIGTERM itself), SIGKILL if it lingers.
    private static func stop(pidFile: String) {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
            let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1
        else { return }
        kill(pid, SIGTERM)
        for _ in 0..<200 {
            if kill(pid, 0) != 0 { return }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
    }

    private static func currentUser() -> String {
        guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else {
            return ProcessInfo.processInfo.environment["USER"] ?? "root"
        }
        return String(cString: name)
    }
}
