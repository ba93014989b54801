/// `metav1.Condition`: one aspect of an object's state, per the API conventions.
package struct Condition: Sendable, Hashable, Codable {
    /// CamelCase condition type, e.g. `Ready`, `Degraded`.
    package var type: String
    /// `True`, `False` or `Unknown`.
    package var status: String
    package var reason: String?
    package var message: String?
    package var lastTransitionTime: KubeTime?
    package var observedGeneration: Int64?

    package init(
        type: String, status: String, reason: String? = nil, message: String? = nil,
        lastTransitionTime: KubeTime? = nil, observedGeneration: Int64? = nil
    ) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
        self.observedGeneration = observedGeneration
    }
}
