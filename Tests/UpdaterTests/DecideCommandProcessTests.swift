import Foundation
import TestSupport
import Testing

/// Runs the built `k8supdater decide` as a real process (built next to the test bundle by
/// `swift build --build-tests`).
@Suite("k8supdater decide, as a process")
struct DecideCommandProcessTests {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func executable() throws -> URL {
        URL(fileURLWithPath: try BuiltProduct.path("k8supdater"))
    }

    static func run(_ arguments: [String], stdin: String) async throws -> Output {
        let result = try await TestProcess.capture(
            try executable().path, arguments: ["decide"] + arguments, input: Data(stdin.utf8))
        return Output(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }

    static let nginx = RealWorldTagLists.nginx.joined(separator: "\n") + "\n# a comment\n\n"

    @Test("--json prints the decision with stable field names")
    func json() async throws {
        let result = try await Self.run(["--current", "1.25.3-alpine", "--frontier", "2", "--json"], stdin: Self.nginx)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["current"] as? String == "1.25.3-alpine")
        #expect(object["action"] as? String == "updateAndNotify")
        #expect(object["update"] as? String == "1.25.5-alpine")
        #expect(object["notify"] as? String == "1.27.0-alpine")
        #expect(object["latestAllowed"] as? String == "1.25.5-alpine")
        #expect(object["latestAvailable"] as? String == "1.27.0-alpine")
        #expect(object["flavor"] as? String == "docker")
        #expect(object["frontier"] as? Int == 2)
        #expect(object["mode"] as? String == "Update")
        #expect(object["tagPattern"] is NSNull)
        let reasons = try #require(object["reasons"] as? [[String: String]])
        #expect(reasons.map { $0["code"] } == ["withinFrontier", "beyondFrontier", "skipped"])
    }

    @Test("human output names the update and the notification")
    func human() async throws {
        let result = try await Self.run(["--current", "1.25", "--frontier", "1"], stdin: Self.nginx)
        #expect(result.status == 0)
        #expect(result.stdout.contains("update to:        1.26\n"))
        #expect(result.stdout.contains("notify about:     -\n"))
        #expect(result.stderr.isEmpty)
    }

    @Test("--sort prints understood tags ascending and rejects the rest on stderr with the reason")
    func sort() async throws {
        let input = "1.10.0\nv1.2.0\n1.9.0\nlatest\n1.0-alpine\n1.0.0rc1\n2!0.1\n"
        let result = try await Self.run(["--sort", "--flavor", "pep440"], stdin: input)
        #expect(result.status == 0)
        #expect(result.stdout == "1.0.0rc1\nv1.2.0\n1.9.0\n1.10.0\n")
        #expect(result.stderr.contains("error: latest: no version"))
        #expect(result.stderr.contains("error: 1.0-alpine: invalid version"))
        // PEP 440 accepts epochs, but `!` cannot appear in an image tag.
        #expect(result.stderr.contains("error: 2!0.1: not a valid tag"))
    }

    @Test("a tagPattern can be tried out")
    func tagPattern() async throws {
        let input = "build-41-abc\nbuild-42-abc\nbuild-43-def\nlatest\n"
        let result = try await Self.run(
            [
                "--current", "build-41-abc", "--frontier", "0", "--tag-pattern",
                #"^build-(?<version>\d+)-(?<suffix>[a-z]+)$"#,
            ],
            stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("update to:        build-42-abc\n"))
    }

    @Test(
        "errors go to stderr with a non-zero exit",
        arguments: [
            (["--current", "latest"], "floating tag"),
            (["--current", "1.0", "--flavor", "maven"], "--flavor must be docker, semver or pep440"),
            (["--current", "1.0", "--tag-pattern", "(?<v>"], "tagPattern"),
            (["--current", "1.0", "--tag-pattern", #"^\d+$"#], "no named group (?<version>"),
            (["--frontier", "1"], "--current is required"),
            (["--current", "1.0", "--frontier=-1"], "--frontier must be 0 or more"),
        ])
    func errors(arguments: [String], message: String) async throws {
        let result = try await Self.run(arguments, stdin: "1.0\n")
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
