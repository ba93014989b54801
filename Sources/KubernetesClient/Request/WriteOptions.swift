import Transport

/// Options every write (create, update, patch) may carry.
package struct WriteOptions: Sendable, Hashable {
    /// Who makes the change (recorded in managedFields); default `k8supdater`.
    package var fieldManager: String?
    /// Validate and compute without storing (`dryRun=All`).
    package var dryRun: Bool

    package init(fieldManager: String? = "k8supdater", dryRun: Bool = false) {
        self.fieldManager = fieldManager
        self.dryRun = dryRun
    }

    package static let `default` = WriteOptions()

    var query: QueryString {
        var query = QueryString()
        query.add("fieldManager", fieldManager)
        query.add("dryRun", dryRun ? "All" : nil)
        return query
    }
}

/// `metav1.DeleteOptions`, sent as the DELETE body.
package struct DeleteOptions: Sendable, Hashable, Codable {
    /// `Background` (default for most kinds), `Foreground` or `Orphan`.
    package var propagationPolicy: PropagationPolicy?
    package var gracePeriodSeconds: Int?
    /// Delete only if the object still has this uid / resourceVersion (else 409 Conflict).
    package var preconditions: Preconditions?

    package init(
        propagationPolicy: PropagationPolicy? = nil, gracePeriodSeconds: Int? = nil,
        preconditions: Preconditions? = nil
    ) {
        self.propagationPolicy = propagationPolicy
        self.gracePeriodSeconds = gracePeriodSeconds
        self.preconditions = preconditions
    }

    package enum PropagationPolicy: String, Sendable, Hashable, Codable {
        case background = "Background"
        case foreground = "Foreground"
        case orphan = "Orphan"
    }

    package struct Preconditions: Sendable, Hashable, Codable {
        package var uid: String?
        package var resourceVersion: String?

        package init(uid: String? = nil, resourceVersion: String? = nil) {
            self.uid = uid
            self.resourceVersion = resourceVersion
        }
    }
}
