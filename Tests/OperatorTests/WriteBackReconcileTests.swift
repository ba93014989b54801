import Foundation
import GitOps
import KubernetesClient
import LoopbackFixtures
import OperatorCore
import TestSupport
import Testing
import Updater
import VersioningAPI

@testable import ControllerRuntime

/// `spec.writeBack` through the reconciler: the in-process emulator, a loopback registry, and a bare
/// repository served by `git http-backend` with basic auth (GitHTTPServer).
@Suite("VersioningHandler write-back", .requires(.executable("git")))
struct WriteBackReconcileTests {
    typealias Fixture = ReconcileFixture

    static let token = "t0ken-\(UUID().uuidString)"

    /// The repository's files for the fixture's image (`<registry>/team/web`).
    static func files(_ fixture: Fixture) -> [String: String] {
        let name = "\(fixture.registryHost)/\(Fixture.repository)"
        return [
            "apps/web/kustomization.yaml": """
            resources:
              - deployment.yaml
            images:
              - name: \(name)
                newTag: 1.25.3 # set by k8supdater

            """,
            "apps/web/deployment.yaml": """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              template:
                spec:
                  containers:
                    - name: web
                      image: \(name):1.25.3 # k8supdater: default/web-updater:web
                    - name: sidecar  # not watched
                      image: '\(name):1.25.3'

            """,
        ]
    }

    struct Git {
        var repository: GitFixtureRepository
        var server: GitHTTPServer
        var writer: GitWriteBack
        var directory: TemporaryDirectory
    }

    /// A served repository, the write-back Secret, a Deployment at 1.25.3 and a handler writing back
    /// with `writer`.
    static func withWriteBack(
        writer kind: VersioningHandler.WriteBack.Writer, token: String = token,
        _ body: (Fixture, Git) async throws -> Void
    ) async throws {
        try SystemTool.require("git")
        try await Fixture.with(tags: ["1.25.3", "1.25.4"]) { fixture in
            let directory = try TemporaryDirectory(prefix: "writeback")
            defer { directory.remove() }
            let repository = try GitFixtureRepository.create(in: directory.path("served"), files: files(fixture))
            try await GitHTTPServer.withServer(
                root: directory.path("served"), credentials: ("bot", Self.token)
            ) { server in
                _ = try await fixture.client().create(
                    Secret(
                        metadata: ObjectMeta(name: "git-credentials", namespace: Fixture.namespace),
                        data: ["username": Data("bot".utf8), "token": Data(token.utf8)]))
                try await fixture.createDeployment(tag: "1.25.3")
                try await fixture.createHandler { spec in
                    spec.writeBack = VersioningHandler.WriteBack(
                        repository: server.url(repository.name), branch: "main", path: "apps/web", writer: kind,
                        secretRef: .init(name: "git-credentials"))
                }
                let writer = GitWriteBack(cache: WorkingCopyCache(root: directory.path("copies")))
                try await body(
                    fixture, Git(repository: repository, server: server, writer: writer, directory: directory))
            }
        }
    }

    @Test("kustomize: one commit with the one-line change, status Committed <sha>, the Deployment untouched")
    func kustomizeCommit() async throws {
        try await Self.withWriteBack(writer: .kustomize) { fixture, git in
            let before = try git.repository.commits()
            let created = try await fixture.deployment()
            let reconciler = fixture.reconciler(gitWriteBack: git.writer)
            #expect(try await fixture.reconcile(with: reconciler) == .done)
            let commits = try git.repository.commits()
            #expect(commits.count == before.count + 1)
            let sha = try #require(commits.first)
            #expect(try git.repository.changedFiles(in: sha) == ["apps/web/kustomization.yaml"])
            #expect(
                try git.repository.changedLines(in: sha)
                    == ["-    newTag: 1.25.3 # set by k8supdater", "+    newTag: 1.25.4 # set by k8supdater"])
            let message = try git.repository.message(of: sha)
            #expect(message.contains("from 1.25.3 to 1.25.4"))
            #expect(message.contains("VersioningHandler default/web-updater, container web"))
            // The cluster's Deployment is left to the GitOps engine.
            let deployment = try await fixture.deployment()
            #expect(deployment.metadata.generation == created.metadata.generation)
            #expect(deployment.spec?.template == created.spec?.template)
            let handler = try await fixture.handler()
            #expect(handler.status?.summary == "Committed \(sha.prefix(7))")
            let web = try #require(handler.status?.containers?.first)
            #expect(web.action == .committed)
            #expect(web.commit == sha)
            #expect(web.committedTag == "1.25.4")
            #expect(handler.condition("Ready")?.status == "True")
            let events = try await fixture.events()
            #expect(events.map(\.reason) == ["Committed"])
            #expect(events.first?.note?.contains(sha) == true)

            // The next check, the Deployment not rolled out yet: no second commit, nothing rewritten.
            let version = try await fixture.handler().metadata.resourceVersion
            #expect(try await fixture.reconcile(with: reconciler) == .done)
            #expect(try git.repository.commits().count == commits.count)
            #expect(try await fixture.handler().metadata.resourceVersion == version)
            #expect(try await fixture.events().count == 1)
            #expect(git.server.counters.pushPosts == 1)

            // The GitOps engine rolls it out: the row says Up to date, the commit stays on record.
            _ = try await fixture.client().strategicMergePatch(
                Deployment.self, name: "web", namespace: Fixture.namespace,
                patch: [
                    "spec": [
                        "template": [
                            "spec": ["containers": [["name": "web", "image": .string(fixture.image("1.25.4"))]]]
                        ]
                    ]
                ])
            try await fixture.waitForPods(of: "web", count: 2)
            #expect(try await fixture.reconcile(with: reconciler) == .done)
            let rolled = try await fixture.handler()
            #expect(rolled.status?.summary == "Up to date 1.25.4")
            #expect(rolled.status?.containers?.first?.commit == sha)
        }
    }

    @Test("marker: one commit in the marked Deployment YAML, every other byte unchanged")
    func markerCommit() async throws {
        try await Self.withWriteBack(writer: .marker) { fixture, git in
            let original = try git.repository.file("apps/web/deployment.yaml")
            #expect(try await fixture.reconcile(with: fixture.reconciler(gitWriteBack: git.writer)) == .done)
            let sha = try #require(try git.repository.commits().first)
            #expect(try git.repository.changedFiles(in: sha) == ["apps/web/deployment.yaml"])
            let name = "\(fixture.registryHost)/\(Fixture.repository)"
            #expect(
                try git.repository.file("apps/web/deployment.yaml")
                    == original.replacingOccurrences(
                        of: "image: \(name):1.25.3 # k8supdater", with: "image: \(name):1.25.4 # k8supdater"))
            #expect(try await fixture.handler().status?.containers?.first?.commit == sha)
        }
    }

    @Test("a wrong token: a condition naming the refusal, no commit, no retry, nothing written to the Deployment")
    func wrongToken() async throws {
        let wrong = "wrong-\(UUID().uuidString)"
        try await Self.withWriteBack(writer: .kustomize, token: wrong) { fixture, git in
            let before = try git.repository.commits()
            let created = try await fixture.deployment()
            #expect(try await fixture.reconcile(with: fixture.reconciler(gitWriteBack: git.writer)) == .done)
            #expect(try git.repository.commits() == before)
            #expect(git.server.counters.authorizedPushRequests == 0)
            #expect(git.server.counters.refusedPushRequests <= 2)
            let handler = try await fixture.handler()
            let ready = try #require(handler.condition("Ready"))
            #expect(ready.status == "False")
            #expect(ready.reason == "WriteBackAuthRefused")
            #expect(ready.message?.contains("spec.writeBack.secretRef") == true)
            #expect(ready.message?.contains(wrong) == false)
            #expect(handler.status?.containers?.first?.action == .error)
            let deployment = try await fixture.deployment()
            #expect(deployment.spec?.template == created.spec?.template)
            #expect(try await fixture.events().contains { $0.reason == "CheckFailed" && $0.type == "Warning" })
            // The next scheduled check tries once more: one attempt again, the same condition, no new Event.
            let events = try await fixture.events().count
            let version = try await fixture.handler().metadata.resourceVersion
            #expect(try await fixture.reconcile(with: fixture.reconciler(gitWriteBack: git.writer)) == .done)
            #expect(try await fixture.handler().metadata.resourceVersion == version)
            #expect(git.server.counters.refusedPushRequests <= 4)
            #expect(try git.repository.commits() == before)
            #expect(try await fixture.events().count == events)
        }
    }

    @Test("a restart between the push and the status write: the next owner records the commit, makes none")
    func restartAfterPush() async throws {
        try await Self.withWriteBack(writer: .kustomize) { fixture, git in
            // The replica that crashed: it pushed, then died before writing status.
            let crashed = GitWriteBack(cache: WorkingCopyCache(root: git.directory.path("crashed-replica")))
            let handler = try await fixture.handler()
            let spec = try #require(handler.spec.writeBack)
            let pushed = try await crashed.write(
                ImageChange(
                    name: "\(fixture.registryHost)/\(Fixture.repository)", oldTag: "1.25.3", newTag: "1.25.4",
                    handler: "default/web-updater", container: "web"),
                to: WriteBackTarget(
                    repository: spec.repository, branch: spec.branch, path: spec.path, writer: .kustomize,
                    credentials: .https(username: "bot", token: Self.token)),
                reason: "patch")
            let sha = try #require(pushed.sha)
            let count = try git.repository.commits().count
            // The next owner (another replica, empty working copies).
            #expect(try await fixture.reconcile(with: fixture.reconciler(gitWriteBack: git.writer)) == .done)
            #expect(try git.repository.commits().count == count)
            #expect(git.server.counters.pushPosts == 1)
            let status = try await fixture.handler().status
            #expect(status?.containers?.first?.commit == sha)
            #expect(status?.summary == "Committed \(sha.prefix(7))")
        }
    }

    @Test("the CRD refuses an unknown writer; a missing Secret is a condition")
    func invalidSpec() async throws {
        try await Self.withWriteBack(writer: .kustomize) { fixture, git in
            await #expect(throws: KubernetesError.self) {
                try await fixture.createHandler("bad-writer") { spec in
                    spec.writeBack = .init(
                        repository: "https://git.example/m.git", branch: "main", path: "a", writer: "helm")
                }
            }
            try await fixture.createHandler("no-secret") { spec in
                spec.writeBack = .init(
                    repository: "https://git.example/m.git", branch: "main", path: "a", writer: .kustomize,
                    secretRef: .init(name: "missing"))
            }
            #expect(
                try await fixture.reconcile("no-secret", with: fixture.reconciler(gitWriteBack: git.writer)) == .retry)
            #expect(try await fixture.handler("no-secret").condition("Ready")?.reason == "WriteBackSecretNotFound")
        }
    }
}
