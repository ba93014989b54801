package import KubernetesClient
package import Updater

/// `k8supdater.io/v1` VersioningHandler: asks the operator to keep one Deployment's images current.
///
/// The model is complete (the CRD prunes unknown fields), so it may be replaced with PUT.
package struct VersioningHandler: ReplaceableResource, Hashable {
    package static let resourceType = ResourceType(
        group: "k8supdater.io", version: "v1", plural: "versioninghandlers", kind: "VersioningHandler",
        isNamespaced: true)

    package var apiVersion: String?
    package var kind: String?
    package var metadata: ObjectMeta
    package var spec: Spec
    package var status: Status?

    package init(metadata: ObjectMeta, spec: Spec, status: Status? = nil) {
        self.apiVersion = Self.resourceType.apiVersion
        self.kind = Self.resourceType.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// What to watch and how; every field but `deployment` and `containerregistry` overrides a global
    /// setting.
    package struct Spec: Sendable, Hashable, Codable {
        /// A Deployment in the object's own namespace.
        package var deployment: String
        /// How tags are looked up: `dockerhub`, `gitlab` or `oci` (the reconciler rejects any other value).
        package var containerregistry: RegistryKind
        /// How many leading version components are protected (a change there only notifies).
        package var frontier: Int?
        package var latestPreference: Bool?
        /// `Update` or `NotifyOnly`.
        package var mode: Mode?
        /// Seconds between checks (≥ 10).
        package var refreshSeconds: Int?
        /// Container names to watch; nil means every regular container.
        package var containers: [String]?
        /// A regex with a named group `version`, for tags that do not follow the default shape.
        package var tagPattern: String?
        package var gitlab: GitLab?
        /// A dockerconfigjson Secret; default: the Deployment's imagePullSecrets.
        package var credentialsSecretRef: SecretReference?
        /// Commit new tags to Git instead of patching the Deployment (GitOps); nil patches the Deployment.
        package var writeBack: WriteBack?
        /// A candidate tag is applied only once the registry says it is at least this old (a Go
        /// duration such as `72h`); overrides `MIN_RELEASE_AGE`; nil: the global default (off).
        package var minReleaseAge: String?
        /// Updates and restarts happen only inside one of these windows; overrides
        /// `MAINTENANCE_WINDOWS`; nil: the global default (always).
        package var maintenanceWindows: [MaintenanceWindow]?
        /// Whether a failed rollout is rolled back (default: on in mode `Update`).
        package var rollback: Rollback?

        package init(deployment: String, containerregistry: RegistryKind) {
            self.deployment = deployment
            self.containerregistry = containerregistry
        }
    }

    /// GitLab settings for `containerregistry: gitlab`.
    package struct GitLab: Sendable, Hashable, Codable {
        package var baseURL: String?
        /// A numeric ID or a `group/project` path.
        package var projectID: IntOrString?
        package var tokenSecretRef: SecretKeyReference?

        package init(baseURL: String? = nil, projectID: IntOrString? = nil, tokenSecretRef: SecretKeyReference? = nil) {
            self.baseURL = baseURL
            self.projectID = projectID
            self.tokenSecretRef = tokenSecretRef
        }
    }

    /// Names a Secret in the object's namespace.
    package struct SecretReference: Sendable, Hashable, Codable {
        package var name: String
        package init(name: String) { self.name = name }
    }

    /// Names one key of a Secret in the object's namespace.
    package struct SecretKeyReference: Sendable, Hashable, Codable {
        package var name: String
        package var key: String
        package init(name: String, key: String) {
            self.name = name
            self.key = key
        }
    }

    /// `spec.mode`: `Update` (change the Deployment) or `NotifyOnly`.
    package struct Mode: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral {
        package var rawValue: String
        package init(rawValue: String) { self.rawValue = rawValue }
        package init(stringLiteral value: String) { self.rawValue = value }
        package static let update: Mode = "Update"
        package static let notifyOnly: Mode = "NotifyOnly"
    }
}
