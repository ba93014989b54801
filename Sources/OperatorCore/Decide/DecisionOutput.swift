package import Updater

/// `k8supdater decide --json` output. Field names are a stable interface: add fields, never rename.
/// Absent values are `null`, never omitted.
package struct DecisionOutput: Encodable {
    package struct Reason: Encodable {
        package var code: String
        package var message: String
    }

    package var current: String
    package var action: String
    package var update: String?
    package var notify: String?
    package var latestAllowed: String?
    package var latestAvailable: String?
    package var flavor: String
    package var frontier: Int
    package var mode: String
    package var tagPattern: String?
    package var reasons: [Reason]

    package init(_ decision: VersionDecision, policy: VersionPolicy) {
        current = decision.current
        action = decision.action.rawValue
        update = decision.update
        notify = decision.notify
        latestAllowed = decision.latestAllowed
        latestAvailable = decision.latestAvailable
        flavor = policy.parser.flavor.rawValue
        frontier = policy.frontier.depth
        mode = policy.mode.rawValue
        tagPattern = policy.parser.pattern?.source
        reasons = decision.reasons.map { Reason(code: $0.code, message: $0.description) }
    }

    enum CodingKeys: String, CodingKey {
        case current, action, update, notify, latestAllowed, latestAvailable, flavor, frontier, mode, tagPattern
        case reasons
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(current, forKey: .current)
        try container.encode(action, forKey: .action)
        try container.encode(update, forKey: .update)
        try container.encode(notify, forKey: .notify)
        try container.encode(latestAllowed, forKey: .latestAllowed)
        try container.encode(latestAvailable, forKey: .latestAvailable)
        try container.encode(flavor, forKey: .flavor)
        try container.encode(frontier, forKey: .frontier)
        try container.encode(mode, forKey: .mode)
        try container.encode(tagPattern, forKey: .tagPattern)
        try container.encode(reasons, forKey: .reasons)
    }
}

/// `k8supdater decide --sort --json` output.
package struct SortOutput: Encodable {
    package struct Rejected: Encodable {
        package var tag: String
        package var code: String
        package var reason: String

        package init(tag: String, code: String, reason: String) {
            self.tag = tag
            self.code = code
            self.reason = reason
        }
    }

    package var sorted: [String]
    package var rejected: [Rejected]

    package init(sorted: [String], rejected: [Rejected]) {
        self.sorted = sorted
        self.rejected = rejected
    }
}
