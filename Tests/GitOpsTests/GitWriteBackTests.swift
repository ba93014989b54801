import Foundation
import GitOps
import LoopbackFixtures
import Synchronization
import TestSupport
import Testing
import Transport

/// `GitWriteBack` end to end: a bare repository served by `git http-backend` on loopback (basic auth
/// checked by the bridge), the real `git` client in its clean environment.
@Suite("Git write-back end to end", .requires(.executable("git")))
struct GitWriteBackTests {
    static let kustomization = """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - deployment.yaml
        images:
          - name: registry.example:5000/team/web # the app
            newTag: 1.25.3

        """
    static let deployment = MarkerWriterTests.deployment
    static let change = ImageChange(
        name: "registry.example:5000/team/web", oldTag: "1.25.3", newTag: "1.25.4", handler: "web/web-updater",
        container: "web")
    static let credentials = (username: "bot", token: "t0ken-\(UUID().uuidString)")

    /// A repository with `apps/web/{kustomization,deployment}.yaml`, its server, and a write-back client.
    static func withRepository(
        protectReads: Bool = false, beforeFirstPush: (@Sendable () async -> Void)? = nil,
        limits: WorkingCopyCache.Limits = .init(),
        _ body: (GitFixtureRepository, GitHTTPServer, GitWriteBack) async throws -> Void
    ) async throws {
        try SystemTool.require("git")
        let directory = try TemporaryDirectory(prefix: "gitops")
        defer { directory.remove() }
        let repository = try GitFixtureRepository.create(
            in: directory.path("served"),
            files: ["apps/web/kustomization.yaml": kustomization, "apps/web/deployment.yaml": deployment])
        let writer = GitWriteBack(
            cache: WorkingCopyCache(root: directory.path("copies"), limits: limits),
            author: .init(name: "k8supdater", email: "operator@k8supdater.io"),
            backoff: .init(initialDelay: .milliseconds(10), maxDelay: .milliseconds(50)))
        try await GitHTTPServer.withServer(
            root: directory.path("served"), credentials: credentials, protectReads: protectReads,
            beforeFirstPush: beforeFirstPush
        ) { server in
            try await body(repository, server, writer)
        }
    }

    static func target(
        _ server: GitHTTPServer, _ repository: GitFixtureRepository, writer: WriterKind,
        token: String = credentials.token
    )
        -> WriteBackTarget
    {
        WriteBackTarget(
            repository: server.url(repository.name), branch: "main", path: "apps/web", writer: writer,
            credentials: .https(username: credentials.username, token: token))
    }

    @Test("a new patch tag: exactly one commit with the one-line change in kustomization.yaml, by the operator")
    func kustomizeOneCommit() async throws {
        try await Self.withRepository { repository, server, writer in
            let before = try repository.commits()
            let result = try await writer.write(
                Self.change, to: Self.target(server, repository, writer: .kustomize), reason: "a new patch version")
            let commits = try repository.commits()
            #expect(commits.count == before.count + 1)
            #expect(result == .committed(sha: try #require(commits.first)))
            let sha = try #require(commits.first)
            #expect(try repository.changedFiles(in: sha) == ["apps/web/kustomization.yaml"])
            #expect(try repository.changedLines(in: sha) == ["-    newTag: 1.25.3", "+    newTag: 1.25.4"])
            #expect(try repository.author(of: sha) == "k8supdater <operator@k8supdater.io>")
            let message = try repository.message(of: sha)
            #expect(message.hasPrefix("Update registry.example:5000/team/web from 1.25.3 to 1.25.4"))
            #expect(message.contains("VersioningHandler web/web-updater, container web: a new patch version"))
            #expect(message.contains("K8supdater-Change: web/web-updater:web 1.25.4"))
            #expect(server.counters.pushPosts == 1)
        }
    }

    @Test("a marker-annotated Deployment: one commit, every other byte of the file unchanged")
    func markerOneCommit() async throws {
        try await Self.withRepository { repository, server, writer in
            let before = try repository.commits()
            let result = try await writer.write(
                Self.change, to: Self.target(server, repository, writer: .marker), reason: "a new patch version")
            let commits = try repository.commits()
            #expect(commits.count == before.count + 1)
            let sha = try #require(commits.first)
            #expect(result == .committed(sha: sha))
            #expect(try repository.changedFiles(in: sha) == ["apps/web/deployment.yaml"])
            let expected = Self.deployment.replacingOccurrences(
                of: "\"registry.example:5000/team/web:1.25.3\"", with: "\"registry.example:5000/team/web:1.25.4\"")
            #expect(try repository.file("apps/web/deployment.yaml") == expected)
            #expect(try repository.changedLines(in: sha).count == 2)
        }
    }

    @Test("written again (a restart after the push, a takeover): no second commit, the first one is found")
    func idempotent() async throws {
        try await Self.withRepository { repository, server, writer in
            let target = Self.target(server, repository, writer: .kustomize)
            let first = try await writer.write(Self.change, to: target, reason: "patch")
            // Someone else commits on top; the change is still in the branch, one commit back.
            try repository.commit(files: ["README.md": "hello\n"], message: "docs")
            let count = try repository.commits().count
            // A fresh replica: its own, empty working copy directory.
            let directory = try TemporaryDirectory(prefix: "gitops-takeover")
            defer { directory.remove() }
            let other = GitWriteBack(cache: WorkingCopyCache(root: directory.path))
            let second = try await other.write(Self.change, to: target, reason: "patch")
            #expect(second == .alreadyPresent(sha: first.sha))
            #expect(try repository.commits().count == count)
            #expect(server.counters.pushPosts == 1)
        }
    }

    @Test("a concurrent commit by someone else: the change is re-applied on the new head, nothing lost")
    func concurrentCommitRebased() async throws {
        let holder = RepositoryHolder()
        // Someone else changes another line of the same file just before the operator pushes.
        let someoneElse: @Sendable () async -> Void = {
            if let repository = holder.repository {
                let text = GitWriteBackTests.kustomization.replacingOccurrences(
                    of: "resources:\n", with: "resources:\n  - service.yaml\n")
                _ = try? repository.commit(files: ["apps/web/kustomization.yaml": text], message: "add the service")
            }
        }
        try await Self.withRepository(beforeFirstPush: someoneElse) { repository, server, writer in
            holder.repository = repository
            let before = try repository.commits()
            let result = try await writer.write(
                Self.change, to: Self.target(server, repository, writer: .kustomize), reason: "patch")
            let commits = try repository.commits()
            #expect(commits.count == before.count + 2)
            #expect(result == .committed(sha: try #require(commits.first)))
            #expect(try repository.message(of: commits[1]).hasPrefix("add the service"))
            let file = try repository.file("apps/web/kustomization.yaml")
            #expect(file.contains("  - service.yaml\n"))
            #expect(file.contains("    newTag: 1.25.4\n"))
            #expect(try repository.changedLines(in: commits[0]) == ["-    newTag: 1.25.3", "+    newTag: 1.25.4"])
        }
    }

    @Test("a wrong token: AuthRefused, not retryable, one push attempt, no commit; the token is in no message")
    func wrongToken() async throws {
        try await Self.withRepository { repository, server, writer in
            let before = try repository.commits()
            let wrong = "wrong-\(UUID().uuidString)"
            let error = await #expect(throws: GitCommandError.self) {
                _ = try await writer.write(
                    Self.change, to: Self.target(server, repository, writer: .kustomize, token: wrong), reason: "patch")
            }
            #expect(error?.kind == .authRefused)
            #expect(error?.isRetryable == false)
            #expect(error?.message.contains(wrong) == false)
            #expect(try repository.commits() == before)
            #expect(server.counters.authorizedPushRequests == 0)
            #expect(server.counters.refusedPushRequests <= 2)
        }
    }

    @Test("a protected branch (the server's pre-receive hook declines): PushRejected, not retried, no commit")
    func protectedBranch() async throws {
        try await Self.withRepository { repository, server, writer in
            try repository.installHook(
                "pre-receive",
                script: "echo 'GL-HOOK-ERR: You are not allowed to push code to protected branches' >&2\nexit 1")
            let before = try repository.commits()
            let error = await #expect(throws: GitCommandError.self) {
                _ = try await writer.write(
                    Self.change, to: Self.target(server, repository, writer: .kustomize), reason: "patch")
            }
            #expect(error?.kind == .pushRejected)
            #expect(error?.isRetryable == false)
            #expect(error?.reason == "WriteBackPushRejected")
            #expect(try repository.commits() == before)
            #expect(server.counters.pushPosts == 1)
        }
    }

    @Test("anonymous push to git daemon (git://, receive-pack enabled): one commit, no credentials asked")
    func gitDaemonAnonymous() async throws {
        let git = try SystemTool.require("git")
        // The daemon itself, not the `git` wrapper: stopping the wrapper would leave the daemon running.
        let execPath = String(decoding: try ToolRunner.run(git, ["--exec-path"]), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let directory = try TemporaryDirectory(prefix: "gitops-daemon")
        defer { directory.remove() }
        let repository = try GitFixtureRepository.create(
            in: directory.path("served"), files: ["apps/web/kustomization.yaml": Self.kustomization])
        let port = try FreeLoopbackPort.next()
        try await TestProcess.withProcess(
            "\(execPath)/git-daemon",
            arguments: [
                "--reuseaddr", "--export-all", "--enable=receive-pack", "--listen=127.0.0.1",
                "--port=\(port)", "--base-path=\(directory.path("served"))", directory.path("served"),
            ], directory: directory.path
        ) { daemon in
            var attempts = 0
            while !FreeLoopbackPort.isAccepting(port), attempts < 400 {
                attempts += 1
                try await Task.sleep(for: .milliseconds(25))
            }
            #expect(FreeLoopbackPort.isAccepting(port), "git daemon did not listen: \(daemon.output)")
            let before = try repository.commits()
            let writer = GitWriteBack(cache: WorkingCopyCache(root: directory.path("copies")))
            let result = try await writer.write(
                Self.change,
                to: WriteBackTarget(
                    repository: "git://127.0.0.1:\(port)/\(repository.name)", branch: "main", path: "apps/web",
                    writer: .kustomize),
                reason: "patch")
            let commits = try repository.commits()
            #expect(commits.count == before.count + 1)
            #expect(result == .committed(sha: try #require(commits.first)))
        }
    }

    @Test(
        "over SSH: the Secret's key and known_hosts push one commit; a host key not in known_hosts is refused",
        .requires(.executable(SSHGitServer.sshd), .executable("ssh-keygen"), .executable("ssh")))
    func ssh() async throws {
        let directory = try TemporaryDirectory(prefix: "gitops-ssh-e2e")
        defer { directory.remove() }
        let repository = try GitFixtureRepository.create(
            in: directory.path("served"), files: ["apps/web/kustomization.yaml": Self.kustomization])
        try await SSHGitServer.withServer(directory: directory.path) { server in
            let writer = GitWriteBack(cache: WorkingCopyCache(root: directory.path("copies")))
            var target = WriteBackTarget(
                repository: server.url(repository.path), branch: "main", path: "apps/web", writer: .kustomize,
                credentials: .ssh(privateKey: server.clientKey, knownHosts: server.wrongKnownHosts))
            let refused = await #expect(throws: GitCommandError.self) {
                _ = try await writer.write(Self.change, to: target, reason: "patch")
            }
            #expect(refused?.kind == .authRefused)
            let before = try repository.commits()
            target.credentials = .ssh(privateKey: server.clientKey, knownHosts: server.knownHosts)
            let result = try await writer.write(Self.change, to: target, reason: "patch")
            let commits = try repository.commits()
            #expect(commits.count == before.count + 1)
            #expect(result == .committed(sha: try #require(commits.first)))
            #expect(
                try repository.changedLines(in: try #require(commits.first)) == [
                    "-    newTag: 1.25.3", "+    newTag: 1.25.4",
                ])
        }
    }

    @Test("a git command past its time limit is stopped with the helpers it started, and reported as TimedOut")
    func timeout() async throws {
        let directory = try TemporaryDirectory(prefix: "gitops-timeout")
        defer { directory.remove() }
        // A stand-in for git that starts a helper (as git starts git-remote-https or ssh) and waits.
        let runner = GitCommandRunner(executable: try SystemTool.require("sh"), timeout: .milliseconds(200))
        let error = await #expect(throws: GitCommandError.self) {
            _ = try await runner.run(
                ["-c", "sleep 30 & echo $! > helper.pid; wait"], in: directory.path, environment: [:],
                scratch: directory.path)
        }
        #expect(error?.kind == .timedOut)
        #expect(error?.isRetryable == true)
        let pid = try #require(directory.read("helper.pid")?.trimmingCharacters(in: .whitespacesAndNewlines))
        var helperStopped = false
        for _ in 0..<400 {
            // Gone, or a zombie waiting to be reaped: either way it no longer runs.
            let stat = FileManager.default.contents(atPath: "/proc/\(pid)/stat").map {
                String(decoding: $0, as: UTF8.self)
            }
            if stat == nil || stat?.contains(") Z ") == true {
                helperStopped = true
                break
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        #expect(helperStopped, "the helper process \(pid) outlived the time-out")
    }

    @Test("reads need the token too: fetch with the right one works, a missing path and a missing marker are errors")
    func pathAndMarkerMissing() async throws {
        try await Self.withRepository(protectReads: true) { repository, server, writer in
            var target = Self.target(server, repository, writer: .kustomize)
            target.path = "apps/nope"
            let missing = await #expect(throws: GitCommandError.self) {
                _ = try await writer.write(Self.change, to: target, reason: "patch")
            }
            #expect(missing?.kind == .pathMissing)
            target = Self.target(server, repository, writer: .marker)
            var other = Self.change
            other.container = "nope"
            let error = await #expect(throws: GitCommandError.self) {
                _ = try await writer.write(other, to: target, reason: "patch")
            }
            #expect(error?.kind == .markerNotFound)
            #expect(error?.message.contains("# k8supdater: web/web-updater:nope") == true)
        }
    }

    @Test("working copies are reused and bounded: the least recently used is removed")
    func boundedCache() async throws {
        try await Self.withRepository(limits: .init(maxCount: 1)) { repository, server, writer in
            let second = try GitFixtureRepository.create(
                in: URL(fileURLWithPath: repository.path).deletingLastPathComponent().path, name: "second",
                files: ["kustomization.yaml": Self.kustomization])
            var target = Self.target(server, repository, writer: .kustomize)
            _ = try await writer.write(Self.change, to: target, reason: "patch")
            let firstKey = WorkingCopyCache.key(url: target.repository, branch: "main")
            #expect(await writer.cache.copies() == [firstKey])
            target = Self.target(server, second, writer: .kustomize)
            target.path = ""
            _ = try await writer.write(Self.change, to: target, reason: "patch")
            let secondKey = WorkingCopyCache.key(url: target.repository, branch: "main")
            #expect(await writer.cache.copies() == [secondKey])
            #expect(!FileManager.default.fileExists(atPath: "\(writer.cache.root)/\(firstKey)"))
            // Nothing of a session (askpass, token file) is left on disk.
            let left = try FileManager.default.contentsOfDirectory(atPath: writer.cache.root)
            #expect(left == [secondKey])
        }
    }

    @Test("an SSH session checks host keys strictly with the Secret's key and known_hosts, in 0600 files")
    func sshSession() async throws {
        let directory = try TemporaryDirectory(prefix: "gitops-ssh")
        defer { directory.remove() }
        let command = try await GitSession.withSession(
            root: directory.path, credentials: .ssh(privateKey: Data("KEY".utf8), knownHosts: Data("host key\n".utf8)),
            author: .init(), runner: GitCommandRunner()
        ) { session throws(GitCommandError) in
            let command = session.environment["GIT_SSH_COMMAND"] ?? ""
            let key = "\(session.directory)/id_key"
            let attributes = try? FileManager.default.attributesOfItem(atPath: key)
            #expect((attributes?[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            #expect(FileManager.default.contents(atPath: key) == Data("KEY\n".utf8))
            #expect(session.environment["GIT_CONFIG_NOSYSTEM"] == "1")
            #expect(session.environment["GIT_CONFIG_GLOBAL"] == "/dev/null")
            #expect(session.environment["GIT_TERMINAL_PROMPT"] == "0")
            #expect(session.environment["HOME"]?.hasPrefix(session.directory) == true)
            return command
        }
        #expect(command.contains("StrictHostKeyChecking=yes"))
        #expect(command.contains("IdentitiesOnly=yes"))
        #expect(command.contains("UserKnownHostsFile="))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}

/// Lets the server's push hook reach the repository created inside the fixture.
final class RepositoryHolder: Sendable {
    private let value = Mutex<GitFixtureRepository?>(nil)
    var repository: GitFixtureRepository? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
