/// `v1` Pod — only what the operator reads: containers and the image IDs the pod runs.
///
/// - Important: Partial model; never written back with PUT.
package struct Pod: BuiltInResource, Hashable {
    package static let resourceType = ResourceType(
        group: "", version: "v1", plural: "pods", kind: "Pod", isNamespaced: true)

    package var apiVersion: String?
    package var kind: String?
    package var metadata: ObjectMeta
    package var spec: PodSpec?
    package var status: Status?

    package init(metadata: ObjectMeta, spec: PodSpec? = nil, status: Status? = nil) {
        self.apiVersion = Self.resourceType.apiVersion
        self.kind = Self.resourceType.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    package struct Status: Sendable, Hashable, Codable {
        package var phase: String?
        package var containerStatuses: [ContainerStatus]?

        package init(phase: String? = nil, containerStatuses: [ContainerStatus]? = nil) {
            self.phase = phase
            self.containerStatuses = containerStatuses
        }
    }

    /// `v1.ContainerStatus`: `imageID` is the digest the container actually runs
    /// (`docker.io/library/nginx@sha256:…`).
    package struct ContainerStatus: Sendable, Hashable, Codable {
        package var name: String
        package var image: String?
        package var imageID: String?
        package var ready: Bool?
        package var restartCount: Int?

        package init(name: String, image: String? = nil, imageID: String? = nil, ready: Bool? = nil) {
            self.name = name
            self.image = image
            self.imageID = imageID
            self.ready = ready
        }
    }
}
