import GitOps
import OperatorCore
import Testing

/// `GITOPS_*`: defaults, values, and one-line refusals.
@Suite("GitOps settings")
struct GitOpsSettingsTests {
    @Test("defaults without variables; values when set")
    func values() throws {
        let defaults = try GitOpsSettings.load(environment: [:])
        #expect(defaults.workDirectory == "/var/lib/k8supdater/git")
        #expect(defaults.limits == WorkingCopyCache.Limits())
        let set = try GitOpsSettings.load(environment: [
            "GITOPS_WORKDIR": "/data/git", "GITOPS_MAX_WORKING_COPIES": "4", "GITOPS_MAX_DISK_MB": "100",
            "GITOPS_AUTHOR_NAME": "bot", "GITOPS_AUTHOR_EMAIL": "bot@example.com",
            "GITOPS_COMMIT_TEMPLATE": "chore: {image} {newTag}\\n\\nby {handler}",
        ])
        #expect(set.workDirectory == "/data/git")
        #expect(set.limits == WorkingCopyCache.Limits(maxCount: 4, maxBytes: 100 << 20))
        #expect(set.author == GitSession.Author(name: "bot", email: "bot@example.com"))
        #expect(set.template.template == "chore: {image} {newTag}\n\nby {handler}")
    }

    @Test(
        "a relative directory or a non-positive bound is refused, naming the variable",
        arguments: [
            ("GITOPS_WORKDIR", "git"), ("GITOPS_MAX_WORKING_COPIES", "0"), ("GITOPS_MAX_DISK_MB", "1g"),
        ])
    func refused(variable: String, value: String) {
        let error = #expect(throws: OperatorConfigurationError.self) {
            try GitOpsSettings.load(environment: [variable: value])
        }
        #expect(error?.setting == variable)
    }
}
