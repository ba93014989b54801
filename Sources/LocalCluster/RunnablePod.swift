package import KubernetesClient

/// A `v1` Pod as the local runner reads it: what a kubelet needs to start the container (its command
/// line, environment, ports, readiness probe, ServiceAccount and grace period) and the status it
/// keeps up to date. Partial: it is only ever patched, never written back with PUT.
package struct RunnablePod: BuiltInResource, Hashable {
    package static let resourceType = Pod.resourceType

    package var apiVersion: String?
    package var kind: String?
    package var metadata: ObjectMeta
    package var spec: Spec?
    /// Kept as JSON: the runner rewrites only the fields a kubelet owns and keeps the rest.
    package var status: JSON?

    package init(metadata: ObjectMeta, spec: Spec? = nil, status: JSON? = nil) {
        self.apiVersion = Self.resourceType.apiVersion
        self.kind = Self.resourceType.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    package struct Spec: Sendable, Hashable, Codable {
        package var containers: [Container]
        package var serviceAccountName: String?
        package var terminationGracePeriodSeconds: Int?
        package var restartPolicy: String?
        package var nodeName: String?

        package init(
            containers: [Container], serviceAccountName: String? = nil, terminationGracePeriodSeconds: Int? = nil
        ) {
            self.containers = containers
            self.serviceAccountName = serviceAccountName
            self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        }
    }

    package struct Container: Sendable, Hashable, Codable {
        package var name: String
        package var image: String?
        package var command: [String]?
        package var args: [String]?
        package var env: [EnvVar]?
        package var envFrom: [EnvFromSource]?
        package var ports: [ContainerPort]?
        package var readinessProbe: Probe?

        package init(
            name: String, image: String? = nil, command: [String]? = nil, args: [String]? = nil,
            env: [EnvVar]? = nil, envFrom: [EnvFromSource]? = nil, ports: [ContainerPort]? = nil,
            readinessProbe: Probe? = nil
        ) {
            self.name = name
            self.image = image
            self.command = command
            self.args = args
            self.env = env
            self.envFrom = envFrom
            self.ports = ports
            self.readinessProbe = readinessProbe
        }
    }

    package struct EnvVar: Sendable, Hashable, Codable {
        package var name: String
        package var value: String?
        package var valueFrom: Source?

        package init(name: String, value: String? = nil, valueFrom: Source? = nil) {
            self.name = name
            self.value = value
            self.valueFrom = valueFrom
        }

        package struct Source: Sendable, Hashable, Codable {
            package var fieldRef: FieldRef?
            package var secretKeyRef: KeyRef?
            package var configMapKeyRef: KeyRef?

            package init(fieldRef: FieldRef? = nil, secretKeyRef: KeyRef? = nil, configMapKeyRef: KeyRef? = nil) {
                self.fieldRef = fieldRef
                self.secretKeyRef = secretKeyRef
                self.configMapKeyRef = configMapKeyRef
            }
        }

        package struct FieldRef: Sendable, Hashable, Codable {
            package var fieldPath: String
            package init(fieldPath: String) { self.fieldPath = fieldPath }
        }

        package struct KeyRef: Sendable, Hashable, Codable {
            package var name: String
            package var key: String
            package var optional: Bool?

            package init(name: String, key: String, optional: Bool? = nil) {
                self.name = name
                self.key = key
                self.optional = optional
            }
        }
    }

    package struct EnvFromSource: Sendable, Hashable, Codable {
        package var prefix: String?
        package var secretRef: Reference?
        package var configMapRef: Reference?

        package init(prefix: String? = nil, secretRef: Reference? = nil, configMapRef: Reference? = nil) {
            self.prefix = prefix
            self.secretRef = secretRef
            self.configMapRef = configMapRef
        }

        package struct Reference: Sendable, Hashable, Codable {
            package var name: String
            package var optional: Bool?

            package init(name: String, optional: Bool? = nil) {
                self.name = name
                self.optional = optional
            }
        }
    }

    package struct ContainerPort: Sendable, Hashable, Codable {
        package var name: String?
        package var containerPort: Int

        package init(name: String? = nil, containerPort: Int) {
            self.name = name
            self.containerPort = containerPort
        }
    }

    package struct Probe: Sendable, Hashable, Codable {
        package var httpGet: HTTPGet?
        package var periodSeconds: Int?
        package var failureThreshold: Int?

        package init(httpGet: HTTPGet? = nil, periodSeconds: Int? = nil, failureThreshold: Int? = nil) {
            self.httpGet = httpGet
            self.periodSeconds = periodSeconds
            self.failureThreshold = failureThreshold
        }

        package struct HTTPGet: Sendable, Hashable, Codable {
            package var path: String?
            package var port: IntOrString

            package init(path: String? = nil, port: IntOrString) {
                self.path = path
                self.port = port
            }
        }
    }
}

extension RunnablePod {
    /// Whether the StatefulSet `name` controls this Pod (its controller owner reference).
    package func isControlled(byStatefulSet name: String) -> Bool {
        (metadata.ownerReferences ?? []).contains {
            $0.kind == "StatefulSet" && $0.name == name && $0.controller == true
        }
    }
}

/// `v1` ConfigMap, for `envFrom.configMapRef` and `valueFrom.configMapKeyRef`.
package struct RunnerConfigMap: BuiltInResource, Hashable {
    package static let resourceType = ResourceType(
        group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", isNamespaced: true)

    package var apiVersion: String?
    package var kind: String?
    package var metadata: ObjectMeta
    package var data: [String: String]?
}

/// `v1` ServiceAccount, only as the parent of the TokenRequest subresource.
package struct RunnerServiceAccount: BuiltInResource, Hashable {
    package static let resourceType = ResourceType(
        group: "", version: "v1", plural: "serviceaccounts", kind: "ServiceAccount", isNamespaced: true)

    package var apiVersion: String?
    package var kind: String?
    package var metadata: ObjectMeta
}
