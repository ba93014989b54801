import Foundation
package import KubernetesClient
package import Updater
package import VersioningAPI

/// A VersioningHandler resolved against the cluster: its Deployment, the containers to check, the
/// policy with the spec's overrides, registry credentials and the running digests.
package struct CheckTarget: Sendable {
    /// Why an object could not be resolved: its spec (the user's to fix) or the API (retry).
    package enum Failure: Error, Sendable {
        case problem(SpecProblem)
        case api(KubernetesError)
    }

    /// One container to check.
    package struct Container: Sendable {
        package var name: String
        package var image: String
        package var reference: ImageReference
    }

    package var deployment: Deployment
    package var containers: [Container]
    package var kind: RegistryKind
    package var policy: VersionPolicy
    package var effective: EffectiveSettings
    package var registry: CachedImageRegistry
    package var credentials: DockerConfigCredentials
    package var running: RunningDigests
    package var insecureRegistries: Set<String>
    /// Release age, maintenance windows and rollback.
    package var rollout: RolloutPolicy
    /// `status.failedTags`: tags never tried again, per container.
    package var failedTags: [VersioningHandler.FailedTag]

    /// Validates the spec and reads what it refers to (only in the object's own namespace): the
    /// workload through `workload` (the API or its watch cache), Secrets by name through `secrets`
    /// (remembered for the object's interval), or from the API on every call when it is nil.
    package static func resolve(
        _ handler: VersioningHandler, client: KubernetesClient, workload: WorkloadReader? = nil,
        secrets: SecretCache? = nil, registries: RegistryClients, settings: ReconcileSettings
    ) async -> Result<CheckTarget, Failure> {
        let workload = workload ?? .api(client)
        let spec = handler.spec
        let namespace = handler.metadata.namespace ?? "default"
        let interval = settings.interval(of: spec)
        let secrets = secrets ?? SecretCache()
        func secret(_ name: String) async -> [String: Data]? {
            if case .found(let data) = await secrets.secret(
                named: name, in: namespace, maxAge: interval, client: client)
            {
                return data
            }
            return nil
        }
        guard RegistryKind.known.contains(spec.containerregistry) else {
            return .failure(.problem(.unknownRegistry(spec.containerregistry.rawValue)))
        }
        let frontier = spec.frontier ?? settings.frontier
        guard frontier >= 0 else { return .failure(.problem(.invalidFrontier(frontier))) }
        let mode: UpdateMode
        if let written = spec.mode {
            guard let parsed = UpdateMode(parsing: written.rawValue) else {
                return .failure(
                    .problem(
                        SpecProblem(
                            reason: "InvalidMode",
                            message: "spec.mode is \"\(written.rawValue)\"; use Update or NotifyOnly")))
            }
            mode = parsed
        } else {
            mode = settings.mode
        }
        let rollout: RolloutPolicy
        do { rollout = try RolloutPolicy.resolve(spec, settings: settings, mode: mode) } catch {
            return .failure(.problem(error))
        }
        let effective = EffectiveSettings(
            frontier: frontier, latestPreference: spec.latestPreference ?? settings.latestPreference, mode: mode,
            platform: settings.platform)
        let policy: VersionPolicy
        do {
            policy = try VersionPolicy(
                flavor: spec.containerregistry == .gitlab ? .pep440 : .docker, tagPattern: spec.tagPattern,
                frontier: Frontier(frontier), mode: mode)
        } catch {
            return .failure(.problem(.invalidTagPattern(error.description)))
        }
        let deployment: Deployment
        do {
            deployment = try await workload.deployment(named: spec.deployment, in: namespace)
        } catch {
            if case .notFound = error {
                return .failure(.problem(.deploymentNotFound(spec.deployment, namespace: namespace)))
            }
            return .failure(.api(error))
        }
        let podSpec = deployment.spec?.template.spec
        let all = podSpec?.containers ?? []
        var selected = all
        if let names = spec.containers, !names.isEmpty {
            let missing = names.filter { name in !all.contains { $0.name == name } }
            guard missing.isEmpty else {
                return .failure(
                    .problem(.containerNotFound(missing, deployment: spec.deployment, available: all.map(\.name))))
            }
            selected = all.filter { names.contains($0.name) }
        }
        var containers: [Container] = []
        for container in selected {
            let image = container.image ?? ""
            do {
                containers.append(
                    Container(name: container.name, image: image, reference: try ImageReference(parsing: image)))
            } catch {
                return .failure(
                    .problem(.invalidImage(container: container.name, image: image, problem: error.description)))
            }
        }
        let registry: CachedImageRegistry
        do {
            // A lookup serves every check of the repository within the object's interval: one lookup per
            // repository per cycle and replica, however many objects share the image (a tag pushed now is
            // seen within two intervals at most).
            registry = try registries.registry(
                spec.containerregistry,
                gitLab: try await gitLab(spec.gitlab, namespace: namespace, settings: settings, secret: secret),
                maxAge: settings.configuredInterval(of: spec))
        } catch let failure as Failure {
            return .failure(failure)
        } catch let error as RegistryError {
            return .failure(.problem(.registryMisconfigured(error.description)))
        } catch {
            return .failure(.problem(.registryMisconfigured(String(describing: error))))
        }
        var secretNames = (podSpec?.imagePullSecrets ?? []).map(\.name)
        if let reference = spec.credentialsSecretRef { secretNames.insert(reference.name, at: 0) }
        var credentials = DockerConfigCredentials()
        for name in secretNames {
            // A missing or unreadable pull secret means anonymous access, as the kubelet does.
            guard let data = await secret(name), let bytes = data[".dockerconfigjson"] ?? data[".dockercfg"],
                let parsed = try? DockerConfigCredentials(json: bytes)
            else { continue }
            credentials = credentials.merging(parsed)
        }
        let running: RunningDigests
        do { running = try await RunningDigests.read(for: deployment, reader: workload) } catch {
            return .failure(.api(error))
        }
        return .success(
            CheckTarget(
                deployment: deployment, containers: containers, kind: spec.containerregistry, policy: policy,
                effective: effective, registry: registry, credentials: credentials, running: running,
                insecureRegistries: settings.insecureRegistries, rollout: rollout,
                failedTags: handler.status?.failedTags ?? []))
    }

    /// `spec.gitlab` over the global GitLab settings, its token read from the referenced Secret.
    private static func gitLab(
        _ spec: VersioningHandler.GitLab?, namespace: String, settings: ReconcileSettings,
        secret: (String) async -> [String: Data]?
    ) async throws -> GitLabConfiguration? {
        guard let spec else { return settings.gitLab }
        var token = settings.gitLab?.token
        if let reference = spec.tokenSecretRef {
            guard let bytes = await secret(reference.name)?[reference.key]
            else {
                throw Failure.problem(
                    SpecProblem(
                        reason: "SecretNotFound",
                        message:
                            "spec.gitlab.tokenSecretRef names Secret \"\(reference.name)\" key \"\(reference.key)\" "
                            + "in namespace \"\(namespace)\", which does not exist; create it or correct the reference")
                )
            }
            token = String(decoding: bytes, as: UTF8.self)
        }
        guard let baseURL = spec.baseURL ?? settings.gitLab?.baseURL,
            let projectID = spec.projectID?.description ?? settings.gitLab?.projectID, let token
        else {
            throw Failure.problem(
                SpecProblem(
                    reason: "RegistryMisconfigured",
                    message: "spec.gitlab needs baseURL, projectID and tokenSecretRef (or the global GITLAB_* settings)"
                ))
        }
        return GitLabConfiguration(baseURL: baseURL, projectID: projectID, token: token)
    }

    /// Where a container's image is looked up: the registry, the repository and the host's credentials.
    func lookup(_ reference: ImageReference, registries: RegistryClients)
        -> (CachedImageRegistry, RegistryRepository, RegistryCredentials?)
    {
        // `dockerhub` (the original's only kind besides gitlab) says how tags read; an image on another
        // registry is looked up where it is, never on Docker Hub (which would not know it, and would
        // learn a private image's name).
        let registry: CachedImageRegistry =
            kind == .dockerhub && !reference.isDockerHub
            ? (try? registries.registry(.oci, maxAge: self.registry.maxAge)) ?? self.registry : self.registry
        let repository = RegistryClients.repository(
            host: kind == .dockerhub ? reference.registry : reference.registryHost, path: reference.path,
            insecureHTTP: insecureRegistries.contains(reference.registry))
        return (registry, repository, credentials.credentials(forHost: reference.registry))
    }

    /// Looks each container's repository up through the shared cache (one lookup per repository per
    /// cycle) and decides.
    package func check(registries: RegistryClients) async -> [ContainerCheck] {
        var checks: [ContainerCheck] = []
        for container in containers {
            let reference = container.reference
            let (registry, repository, hostCredentials) = lookup(reference, registries: registries)
            let running = self.running.byContainer[container.name] ?? []
            do {
                var listing = try await registry.tags(of: repository, credentials: hostCredentials)
                let failed = Set(failedTags.filter { $0.container == container.name }.map(\.tag))
                if !failed.isEmpty { listing.tags.removeAll { failed.contains($0) } }
                let currentTag = reference.effectiveTag ?? "latest"
                var manifest: ManifestDigest?
                if case .failure = policy.parser.parse(currentTag) {
                    manifest = try await registry.digest(of: repository, tag: currentTag, credentials: hostCredentials)
                }
                checks.append(
                    ContainerCheck.decide(
                        name: container.name, image: container.image, reference: reference, policy: policy,
                        tags: listing.tags, registryDigest: manifest, running: running, settings: effective))
            } catch {
                checks.append(
                    ContainerCheck.failed(
                        name: container.name, image: container.image, reference: reference, running: running,
                        error: error))
            }
        }
        return checks
    }
}
