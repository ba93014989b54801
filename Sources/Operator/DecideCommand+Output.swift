import Updater

/// `k8supdater decide --json` output. Field names are a stable interface: add fields, never rename.
/// Absent values are `null`, never omitted.
struct DecisionOutput: Encodable {
    struct Reason: Encodable {
        var code: String
        var message: String
    }

    var current: String
    var action: String
    var update: String?
    var notify: String?
    var latestAllowed: String?
    var latestAvailable: String?
    var flavor: String
    var frontier: Int
    var mode: String
    var tagPattern: String?
    var reasons: [Reason]

    init(_ decision: VersionDecision, policy: VersionPolicy) {
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

    func encode(to encoder: any Encoder) throws {
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
struct SortOutput: Encodable {
    struct Rejected: Encodable {
        var tag: String
        var code: String
        var reason: String
    }

    var sorted: [String]
    var rejected: [Rejected]
}
