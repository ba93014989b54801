/// `apps/v1` Deployment — only the fields the operator reads.
///
/// - Important: The model is partial, so it is never written back with PUT; change Deployments with
///   patches (``KubernetesClient/patch(_:name:namespace:patch:options:)`` or a strategic merge patch).
package struct Deployment: BuiltInResource, Hashable {
    package static let resourceType = ResourceType(
        group: "apps", version: "v1", plural: "deployments", kind: "Deployment", isNamespaced: true)

    package var apiVersion: String?
    package var kind: String?
    package var metadata: ObjectMeta
    package var spec: Spec?
    package var status: Status?

    package init(metadata: ObjectMeta, spec: Spec? = nil) {
        self.apiVersion = Self.resourceType.apiVersion
        self.kind = Self.resourceType.kind
        self.metadata = metadata
        self.spec = spec
    }

    package struct Spec: Sendable, Hashable, Codable {
        package var replicas: Int?
        /// Which Pods belong to the Deployment (`spec.selector`; required by the API).
        package var selector: LabelSelector?
        package var template: PodTemplate
        /// Seconds a rollout may make no progress before the controller reports `ProgressDeadlineExceeded`
        /// (the API defaults it to 600).
        package var progressDeadlineSeconds: Int?

        package init(
            replicas: Int? = nil, selector: LabelSelector? = nil, template: PodTemplate,
            progressDeadlineSeconds: Int? = nil
        ) {
            self.replicas = replicas
            self.selector = selector
            self.template = template
            self.progressDeadlineSeconds = progressDeadlineSeconds
        }
    }

    /// The pod template: its annotations (restart stamps) and its pod spec.
    /// `metav1.LabelSelector`: `matchLabels` and `matchExpressions`, ANDed.
    package struct LabelSelector: Sendable, Hashable, Codable {
        package var matchLabels: [String: String]?
        package var matchExpressions: [Requirement]?

        package init(matchLabels: [String: String]? = nil, matchExpressions: [Requirement]? = nil) {
            self.matchLabels = matchLabels
            self.matchExpressions = matchExpressions
        }

        /// One `matchExpressions` entry: `In`, `NotIn`, `Exists` or `DoesNotExist`.
        package struct Requirement: Sendable, Hashable, Codable {
            package var key: String
            package var `operator`: String
            package var values: [String]?

            package init(key: String, operator: String, values: [String]? = nil) {
                self.key = key
                self.operator = `operator`
                self.values = values
            }
        }

        /// The selector in the `labelSelector` query syntax (`a=b,c in (d,e),!f`); nil for an
        /// operator this client does not know (the caller must not list with a wider selector).
        package var queryString: String? {
            var parts = (matchLabels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            for requirement in matchExpressions ?? [] {
                let values = (requirement.values ?? []).sorted().joined(separator: ",")
                switch requirement.operator {
                case "In": parts.append("\(requirement.key) in (\(values))")
                case "NotIn": parts.append("\(requirement.key) notin (\(values))")
                case "Exists": parts.append(requirement.key)
                case "DoesNotExist": parts.append("!\(requirement.key)")
                default: return nil
                }
            }
            return parts.joined(separator: ",")
        }
    }

    package struct PodTemplate: Sendable, Hashable, Codable {
        package var metadata: TemplateMetadata?
        package var spec: PodSpec

        package init(metadata: TemplateMetadata? = nil, spec: PodSpec) {
            self.metadata = metadata
            self.spec = spec
        }
    }

    package struct TemplateMetadata: Sendable, Hashable, Codable {
        package var labels: [String: String]?
        package var annotations: [String: String]?

        package init(labels: [String: String]? = nil, annotations: [String: String]? = nil) {
            self.labels = labels
            self.annotations = annotations
        }
    }

    package struct Status: Sendable, Hashable, Codable {
        package var observedGeneration: Int64?
        package var replicas: Int?
        package var updatedReplicas: Int?
        package var readyReplicas: Int?
        package var availableReplicas: Int?
        package var unavailableReplicas: Int?
        package var conditions: [DeploymentCondition]?

        package init() {}
    }

    /// `apps/v1` DeploymentCondition (`Available`, `Progressing`, `ReplicaFailure`).
    package struct DeploymentCondition: Sendable, Hashable, Codable {
        package var type: String
        package var status: String
        package var reason: String?
        package var message: String?
        package var lastUpdateTime: KubeTime?
        package var lastTransitionTime: KubeTime?
    }
}
