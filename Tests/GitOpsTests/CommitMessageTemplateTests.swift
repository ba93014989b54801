import GitOps
import Testing

@Suite("Commit message template and redaction")
struct CommitMessageTemplateTests {
    @Test("placeholders are filled and the trailer is appended; unknown placeholders stay")
    func render() {
        let change = ImageChange(
            name: "team/web", oldTag: "1.25.3", newTag: "1.25.4", handler: "web/updater", container: "app")
        let message = CommitMessageTemplate("chore: {image} {oldTag} -> {newTag} ({handler}/{container}) {nope}\n")
            .render(change, reason: "a new patch", repository: "https://git.example/m.git", branch: "main", path: "p")
        #expect(
            message
                == "chore: team/web 1.25.3 -> 1.25.4 (web/updater/app) {nope}\n\nK8supdater-Change: web/updater:app 1.25.4\n"
        )
        let standard = CommitMessageTemplate().render(
            change, reason: "a new patch", repository: "r", branch: "main", path: "p")
        #expect(
            standard.hasPrefix(
                "Update team/web from 1.25.3 to 1.25.4\n\nVersioningHandler web/updater, container app: a new patch"))
    }

    @Test("secrets and URL user information are redacted")
    func redaction() {
        let text = GitCommandRunner.redact(
            "fatal: unable to access 'https://bot:s3cret@git.example/m.git/': token s3cret refused", secrets: ["s3cret"]
        )
        #expect(text == "fatal: unable to access 'https://***@git.example/m.git/': token *** refused")
    }
}
