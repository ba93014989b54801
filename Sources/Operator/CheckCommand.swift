import ArgumentParser
import OperatorCore
import Transport
import Updater

import struct Foundation.Data
import class Foundation.FileHandle
import class Foundation.ProcessInfo

/// `k8supdater check IMAGE`: one look-up in the image's registry and the decision the operator would
/// make — to preview a policy and to diagnose registry access.
///
/// Credentials come from the usual places: a docker config file (`--docker-config`, else
/// `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`) and, for GitLab, the `GITLAB_*`
/// environment variables. Nothing secret is printed.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Look up an image's tags in its registry and print the decision the operator would make.",
        discussion: """
            Examples:
              k8supdater check nginx:1.25.3 --frontier 2
              k8supdater check 127.0.0.1:5000/team/app:1.0.0 --registry oci --insecure-http --json
              k8supdater check ghcr.io/org/app:latest --running-digest sha256:… --latest-preference true
            Exit status: 0 when a decision was made, 1 when the registry could not be read,
            2 when the input is invalid.
            """
    )

    @Argument(help: "The image reference as written in a pod spec, e.g. nginx:1.25.3.")
    var image: String

    @Option(help: "How tags are looked up: dockerhub, gitlab or oci (default: dockerhub for docker.io, else oci).")
    var registry: String?

    @Option(help: "Protect the first N version components: 0 = always update.")
    var frontier: Int = 1

    @Option(help: "For floating tags (latest): true restarts on a new digest, false only notifies.")
    var latestPreference: Bool = false

    @Option(help: "Update or NotifyOnly.")
    var mode: String = UpdateMode.update.rawValue

    @Option(help: "A regular expression matching whole tags, with a named group (?<version>…).")
    var tagPattern: String?

    @Option(help: "For floating tags: the digest the pods run now (compared per platform).")
    var runningDigest: String?

    @Option(help: "The platform the workload runs on, for floating tags.")
    var platform: String = "linux/amd64"

    @Option(help: "A docker config file with registry credentials.")
    var dockerConfig: String?

    @Flag(help: "Talk plain HTTP to the registry (loopback test registries only).")
    var insecureHTTP = false

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if let registry, RegistryKind(parsing: registry) == nil {
            throw ValidationError("--registry must be dockerhub, gitlab or oci, not \"\(registry)\"")
        }
        guard frontier >= 0 else { throw ValidationError("--frontier must be 0 or more, not \(frontier)") }
        guard UpdateMode(parsing: mode) != nil else { throw ValidationError("--mode must be Update or NotifyOnly") }
        guard Platform(parsing: platform) != nil else {
            throw ValidationError("--platform must look like linux/amd64 or linux/arm64/v8")
        }
    }

    func run() async throws {
        let reference: ImageReference
        do { reference = try ImageReference(parsing: image) } catch {
            Self.printError("\(error)")
            throw ExitCode(2)
        }
        var request = CheckRequest(reference: reference)
        request.registry = registry.flatMap(RegistryKind.init(parsing:))
        request.frontier = frontier
        request.latestPreference = latestPreference
        request.mode = UpdateMode(parsing: mode) ?? .update
        request.tagPattern = tagPattern
        request.runningDigest = runningDigest
        request.platform = Platform(parsing: platform)
        request.dockerConfig = dockerConfig
        request.insecureHTTP = insecureHTTP
        let transport = try CurlTransport()
        let outcome: Result<CheckReport, CheckLookup.Failure>
        do {
            outcome = .success(try await CheckLookup(request: request, transport: transport).perform())
        } catch {
            outcome = .failure(error)
        }
        await transport.shutdown()
        let report: CheckReport
        switch outcome {
        case .success(let made): report = made
        case .failure(let failure):
            Self.printError(failure.message)
            throw ExitCode(failure.exitCode)
        }
        if json {
            print(try report.json())
        } else {
            print(report.text())
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }
}
