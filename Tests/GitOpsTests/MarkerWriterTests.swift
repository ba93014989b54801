import Foundation
import GitOps
import Testing

/// `MarkerWriter`: marked fields change, every other byte stays.
@Suite("Marker writer")
struct MarkerWriterTests {
    static let change = ImageChange(
        name: "registry.example:5000/team/web", oldTag: "1.25.3", newTag: "1.25.4", handler: "web/web-updater",
        container: "web")

    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web   # the app
        spec:
          template:
            spec:
              containers:
                - name: web
                  image: "registry.example:5000/team/web:1.25.3"  # k8supdater: web/web-updater:web
                - name: sidecar
                  image: registry.example:5000/team/web:1.25.3 # k8supdater: web/web-updater:sidecar
                  env:
                    - {name: X, value: "1"}

        """

    @Test("the marked field's tag changes and nothing else")
    func changesMarkedField() throws {
        let edited = Self.deployment.replacingOccurrences(
            of: "\"registry.example:5000/team/web:1.25.3\"", with: "\"registry.example:5000/team/web:1.25.4\"")
        #expect(try MarkerWriter.edit(Self.deployment, change: Self.change) == .changed(edited))
        #expect(try MarkerWriter.edit(edited, change: Self.change) == .unchanged)
    }

    @Test("a tag-only field, a digest pin, and no marker")
    func tagOnlyDigestNoMarker() throws {
        let values = "image:\n  repository: team/web\n  tag: 1.25.3 # k8supdater: web/web-updater:web:tag\n"
        #expect(
            try MarkerWriter.edit(values, change: Self.change)
                == .changed("image:\n  repository: team/web\n  tag: 1.25.4 # k8supdater: web/web-updater:web:tag\n"))
        var floating = Self.change
        floating.newTag = "latest"
        floating.digest = "sha256:abc"
        let pinned = "image: web:latest@sha256:old # k8supdater: web/web-updater:web\n"
        #expect(
            try MarkerWriter.edit(pinned, change: floating)
                == .changed("image: web:latest@sha256:abc # k8supdater: web/web-updater:web\n"))
        #expect(throws: GitCommandError.self) { try MarkerWriter.edit(values, change: floating) }
        #expect(try MarkerWriter.edit("image: web:1 # k8supdater: web/other:web\n", change: Self.change) == .noMarker)
    }
}
