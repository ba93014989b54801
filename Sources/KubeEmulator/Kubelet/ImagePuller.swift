import Foundation
package import Transport
import Updater

/// How the emulator's node starts the containers of a new Pod.
package enum KubeletMode: Sendable {
    /// Pods are Running and Ready at creation; `imageID`s come from the synchronous digest resolver
    /// (``Emulator/setDigestResolver(_:)``, a deterministic placeholder by default). Rollouts complete
    /// before the write that started them returns — what most in-process tests want.
    case instant
    /// As a node does: a Pod starts Pending with its containers waiting (`ContainerCreating`), the
    /// images are "pulled" asynchronously (the digest each registry serves for the tag now, looked up
    /// with the Updater's OCI client), then the Pod becomes Running and Ready.
    case pulling(ImagePullSettings)
}

/// Where and how the simulated kubelet looks images up.
package struct ImagePullSettings: Sendable {
    /// The HTTP transport for registry requests (the caller owns and shuts it down).
    package var transport: any HTTPTransport
    /// Registries (`host:port`, as in image references) reached over plain HTTP; all others use HTTPS.
    package var insecureRegistries: Set<String>
    /// When set, only these registries are contacted; an image elsewhere gets a placeholder digest, as
    /// if its registry were unreachable (tests keep off the network with this).
    package var reachableRegistries: Set<String>?
    /// The first wait before a failed pull is retried (doubling up to five minutes, as ImagePullBackOff).
    package var retryDelay: Duration

    package init(
        transport: any HTTPTransport, insecureRegistries: Set<String> = [], reachableRegistries: Set<String>? = nil,
        retryDelay: Duration = .seconds(1)
    ) {
        self.transport = transport
        self.insecureRegistries = Set(insecureRegistries.map { $0.lowercased() })
        self.reachableRegistries = reachableRegistries.map { Set($0.map { $0.lowercased() }) }
        self.retryDelay = retryDelay
    }
}

/// The result of pulling one image.
enum PullOutcome: Sendable, Equatable {
    /// The registry served this digest: `imageID` as containerd reports it (`<repository>@sha256:…`).
    case pulled(imageID: String)
    /// No registry reachable: a deterministic stand-in, and why.
    case placeholder(imageID: String, reason: String)
    /// The registry answered but the image cannot be pulled (unknown tag, no access): ErrImagePull.
    case failed(message: String)
}

/// The node's image service: looks up the digest a registry serves for an image's tag (the index
/// digest for a multi-arch tag — what containerd records as the repo digest) and remembers what it
/// pulled, so `IfNotPresent` reuses the node's copy while `Always` asks the registry again.
struct ImagePuller: Sendable {
    let settings: ImagePullSettings
    private let client: OCIRegistryClient
    private let pulled = PulledImages()

    init(settings: ImagePullSettings) {
        self.settings = settings
        client = OCIRegistryClient(http: RegistryHTTPClient(transport: settings.transport))
    }

    /// Pulls `image` under `policy` (`Always`, `IfNotPresent`, `Never`; nil: `Always` for `latest`).
    func pull(_ image: String, policy: String?) async -> PullOutcome {
        let reference: ImageReference
        do { reference = try ImageReference(parsing: image) } catch {
            return .failed(message: "Failed to pull image \"\(image)\": invalid reference format: \(error)")
        }
        let policy =
            policy ?? (reference.digest == nil && reference.effectiveTag == "latest" ? "Always" : "IfNotPresent")
        if let digest = reference.digest { return .pulled(imageID: "\(reference.name)@\(digest)") }
        if policy != "Always", let known = await pulled.imageID(of: image) { return .pulled(imageID: known) }
        if policy == "Never" {
            return .failed(message: "Container image \"\(image)\" is not present with pull policy of Never")
        }
        let host = reference.registry.lowercased()
        let placeholder = "\(reference.name)@\(Emulator.placeholderDigest(image) ?? "")"
        if let reachable = settings.reachableRegistries, !reachable.contains(host) {
            return .placeholder(
                imageID: placeholder, reason: "registry \(reference.registry) is not among the reachable registries")
        }
        let repository =
            reference.isDockerHub
            ? DockerHub.repository(reference.path)
            : RegistryRepository(
                host: reference.registry, name: reference.path,
                scheme: settings.insecureRegistries.contains(host) ? "http" : "https")
        do {
            let manifest = try await client.digest(
                of: repository, tag: reference.effectiveTag ?? "latest", credentials: nil)
            let imageID = "\(reference.name)@\(manifest.digest)"
            await pulled.remember(imageID, for: image)
            return .pulled(imageID: imageID)
        } catch {
            switch error {
            case .transport, .throttled, .httpStatus, .malformedResponse, .responseTooLarge:
                if let known = await pulled.imageID(of: image) { return .pulled(imageID: known) }
                return .placeholder(imageID: placeholder, reason: error.description)
            case .repositoryNotFound, .tagNotFound, .unauthorized, .forbidden, .misconfigured:
                return .failed(message: "Failed to pull image \"\(image)\": \(error)")
            }
        }
    }
}

/// Image reference → the imageID the node pulled for it last.
private actor PulledImages {
    private var images: [String: String] = [:]

    func imageID(of image: String) -> String? { images[image] }

    func remember(_ imageID: String, for image: String) { images[image] = imageID }
}
