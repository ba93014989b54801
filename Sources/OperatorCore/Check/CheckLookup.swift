import Foundation
package import Transport
package import Updater

/// What `k8supdater check` was asked: the image and the policy to decide with.
package struct CheckRequest: Sendable {
    package var reference: ImageReference
    /// nil: `dockerhub` for Docker Hub images, else `oci`.
    package var registry: RegistryKind?
    package var frontier: Int = 1
    package var latestPreference = false
    package var mode: UpdateMode = .update
    package var tagPattern: String?
    /// For floating tags: the digest the pods run now, on ``platform``.
    package var runningDigest: String?
    package var platform: Platform?
    /// A docker config file with registry credentials (default: `$DOCKER_CONFIG`, then `~/.docker`).
    package var dockerConfig: String?
    /// Plain HTTP to the registry (loopback test registries only).
    package var insecureHTTP = false

    package init(reference: ImageReference) { self.reference = reference }
}

/// The work of `k8supdater check`: credentials, registry, tags, and the decision.
package struct CheckLookup {
    /// Why the check could not decide; `exitCode` 1 for registry trouble, 2 for bad input.
    package struct Failure: Error {
        package var message: String
        package var exitCode: Int32
    }

    let request: CheckRequest
    let transport: any HTTPTransport

    package init(request: CheckRequest, transport: any HTTPTransport) {
        self.request = request
        self.transport = transport
    }

    package func perform() async throws(Failure) -> CheckReport {
        let reference = request.reference
        let kind = request.registry ?? (reference.isDockerHub ? .dockerhub : .oci)
        let environment = ProcessInfo.processInfo.environment
        let credentials = try loadCredentials(environment)
        let gitLab: GitLabConfiguration?
        do { gitLab = try GitLabConfiguration.fromEnvironment(environment) } catch {
            throw Failure(message: error.description, exitCode: 2)
        }
        let clients = RegistryClients(http: RegistryHTTPClient(transport: transport), window: .seconds(60))
        let repository = RegistryClients.repository(
            host: kind == .dockerhub ? reference.registry : reference.registryHost, path: reference.path,
            insecureHTTP: request.insecureHTTP)
        let hostCredentials = credentials.credentials(forHost: reference.registry)
        let policy: VersionPolicy
        do {
            policy = try VersionPolicy(
                flavor: kind == .gitlab ? .pep440 : .docker, tagPattern: request.tagPattern,
                frontier: Frontier(request.frontier), mode: request.mode)
        } catch {
            throw Failure(message: error.description, exitCode: 2)
        }
        let registry: CachedImageRegistry
        let listing: TagListing
        do {
            registry = try clients.registry(kind, gitLab: gitLab)
            listing = try await registry.tags(of: repository, credentials: hostCredentials)
        } catch {
            throw Failure(message: error.description, exitCode: 1)
        }
        var report = CheckReport(reference: reference, kind: kind, listing: listing, policy: policy)
        let currentTag = reference.effectiveTag ?? "latest"
        do {
            report.version = try policy.decide(currentTag: currentTag, availableTags: listing.tags)
        } catch {
            guard error.isFloatingTag else { throw Failure(message: error.description, exitCode: 1) }
            do {
                let digest = try await registry.digest(of: repository, tag: currentTag, credentials: hostCredentials)
                report.digest = digest
                report.digestDecision = try digestDecision(digest)
            } catch {
                throw Failure(message: error.description, exitCode: error.reason == "RegistryMisconfigured" ? 2 : 1)
            }
        }
        report.rateLimit = await clients.http.limiter.lastSignal(host: repository.host)
        return report
    }

    private func digestDecision(_ digest: ManifestDigest) throws(RegistryError) -> DigestDecision {
        var running: [Platform: ImageDigest] = [:]
        if let text = request.runningDigest, let platform = request.platform {
            guard let parsed = try? ImageDigest(parsing: text) else {
                throw .misconfigured("--running-digest must look like sha256:<64 hex digits>")
            }
            running[platform] = parsed
        }
        return DigestDecision.decide(
            running: running, registry: digest.registryState, latestPreference: request.latestPreference)
    }

    /// The docker config named by --docker-config, else $DOCKER_CONFIG/config.json, else ~/.docker/config.json.
    private func loadCredentials(_ environment: [String: String]) throws(Failure) -> DockerConfigCredentials {
        let path: String
        if let explicit = request.dockerConfig {
            path = explicit
        } else if let directory = environment["DOCKER_CONFIG"] {
            path = "\(directory)/config.json"
        } else {
            path = "\(environment["HOME"] ?? "/root")/.docker/config.json"
        }
        guard let bytes = FileManager.default.contents(atPath: path) else {
            if request.dockerConfig != nil { throw Failure(message: "cannot read docker config \(path)", exitCode: 2) }
            return DockerConfigCredentials()
        }
        do { return try DockerConfigCredentials(json: bytes) } catch {
            throw Failure(message: "\(path): \(error.description)", exitCode: 2)
        }
    }
}
