/// The part of `v1.PodSpec` the operator reads: containers and image pull secrets.
package struct PodSpec: Sendable, Hashable, Codable {
    package var containers: [Container]
    package var initContainers: [Container]?
    package var imagePullSecrets: [LocalObjectReference]?

    package init(
        containers: [Container], initContainers: [Container]? = nil, imagePullSecrets: [LocalObjectReference]? = nil
    ) {
        self.containers = containers
        self.initContainers = initContainers
        self.imagePullSecrets = imagePullSecrets
    }

    /// A container's name and image reference.
    package struct Container: Sendable, Hashable, Codable {
        package var name: String
        package var image: String?

        package init(name: String, image: String?) {
            self.name = name
            self.image = image
        }
    }
}

/// `v1.LocalObjectReference`: names an object in the same namespace.
package struct LocalObjectReference: Sendable, Hashable, Codable {
    package var name: String
    package init(name: String) { self.name = name }
}
