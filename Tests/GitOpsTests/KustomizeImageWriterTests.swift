import Foundation
import GitOps
import Testing

/// `KustomizeImageWriter`: text edits of a kustomization's `images:` list.
@Suite("Kustomize images writer")
struct KustomizeImageWriterTests {
    static let change = ImageChange(
        name: "registry.example:5000/team/web", oldTag: "1.25.3", newTag: "1.25.4", handler: "web/web-updater",
        container: "web")

    @Test("an existing entry's newTag is replaced; comments, quoting and other entries stay")
    func replacesNewTag() throws {
        let text = """
            # the web app
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
              - deployment.yaml   # the app
            images:
              - name: other/image
                newTag: "9.9"
              - name: registry.example:5000/team/web  # ours
                newTag: '1.25.3' # pinned by k8supdater
            namePrefix: prod-

            """
        let edited = try #require(try KustomizeImageWriter.edit(text, change: Self.change))
        #expect(edited == text.replacingOccurrences(of: "'1.25.3'", with: "'1.25.4'"))
    }

    @Test("the file already holds the tag: nothing to change")
    func alreadyHolds() throws {
        let text = "images:\n- name: registry.example:5000/team/web\n  newTag: 1.25.4\n"
        #expect(try KustomizeImageWriter.edit(text, change: Self.change) == nil)
    }

    @Test("a missing entry is appended in the list's indentation")
    func appendsEntry() throws {
        let text =
            "resources:\n- a.yaml\nimages:\n  - name: other\n    newTag: \"2\"\n\n# trailing comment\nnamespace: web\n"
        let edited = try #require(try KustomizeImageWriter.edit(text, change: Self.change))
        #expect(
            edited
                == "resources:\n- a.yaml\nimages:\n  - name: other\n    newTag: \"2\"\n  - name: registry.example:5000/team/web\n    newTag: 1.25.4\n\n# trailing comment\nnamespace: web\n"
        )
    }

    @Test("no images list: one is added at the end")
    func addsImagesList() throws {
        let text = "resources:\n- deployment.yaml"
        let edited = try #require(try KustomizeImageWriter.edit(text, change: Self.change))
        #expect(
            edited
                == "resources:\n- deployment.yaml\nimages:\n- name: registry.example:5000/team/web\n  newTag: 1.25.4\n")
        #expect(
            try KustomizeImageWriter.edit("images: []\n", change: Self.change)
                == "images:\n- name: registry.example:5000/team/web\n  newTag: 1.25.4\n")
    }

    @Test("an entry without newTag gets one after its last field; a digest gives way to the tag")
    func insertsNewTag() throws {
        let text = "images:\n- name: web\n  newName: registry.example:5000/team/web\n- name: x\n"
        let edited = try #require(try KustomizeImageWriter.edit(text, change: Self.change))
        #expect(
            edited == "images:\n- name: web\n  newName: registry.example:5000/team/web\n  newTag: 1.25.4\n- name: x\n")
        let pinned = "images:\n- name: registry.example:5000/team/web\n  newTag: 1.25.3\n  digest: sha256:aa\n"
        #expect(
            try KustomizeImageWriter.edit(pinned, change: Self.change)
                == "images:\n- name: registry.example:5000/team/web\n  newTag: 1.25.4\n")
    }

    @Test("a floating tag pins the digest; a number-like tag is quoted; CRLF is kept")
    func digestQuotingCRLF() throws {
        var floating = Self.change
        floating.newTag = "latest"
        floating.digest = "sha256:" + String(repeating: "b", count: 64)
        let text = "images:\r\n- name: registry.example:5000/team/web\r\n  newTag: latest\r\n"
        let edited = try #require(try KustomizeImageWriter.edit(text, change: floating))
        #expect(edited == text + "  digest: sha256:\(String(repeating: "b", count: 64))\r\n")
        var numeric = Self.change
        numeric.newTag = "1.26"
        #expect(
            try KustomizeImageWriter.edit(
                "images:\n- name: registry.example:5000/team/web\n  newTag: 1.25\n", change: numeric)
                == "images:\n- name: registry.example:5000/team/web\n  newTag: \"1.26\"\n")
    }

    @Test("a flow-style images list is refused with a message")
    func flowStyle() throws {
        #expect(throws: GitCommandError.self) {
            try KustomizeImageWriter.edit("images: [{name: web, newTag: \"1\"}]\n", change: Self.change)
        }
    }
}
