import Synchronization

/// "Apply, then fail" faults: the request is served (the change is stored and watchers see it), but
/// the client is answered with an error, as when a response is lost after the server committed the
/// write. This is the ambiguous outcome a careful client must resolve by re-reading.
package final class AfterApplyFaults: Sendable {
    struct Rule: Sendable {
        var verb: String?
        var resource: String?
        var remaining: Int
        var code: Int
    }

    private let rules = Mutex<[Rule]>([])

    init() {}

    /// The next `count` matching requests are applied and then answered with `code` (500, 503, 504 …).
    package func failNext(_ count: Int = 1, verb: String? = nil, resource: String? = nil, code: Int) {
        rules.withLock { $0.append(Rule(verb: verb, resource: resource, remaining: count, code: code)) }
    }

    /// Disarms every rule.
    package func reset() { rules.withLock { $0 = [] } }

    /// The error to answer a served request with, if a rule matches (and consumes one of its uses).
    func error(verb: String, resource: String?) -> APIError? {
        rules.withLock { rules in
            let index = rules.firstIndex { rule in
                rule.remaining > 0 && (rule.verb == nil || rule.verb == verb)
                    && (rule.resource == nil || rule.resource == resource
                        || resource?.split(separator: "/").first.map(String.init) == rule.resource)
            }
            guard let index else { return nil }
            rules[index].remaining -= 1
            let code = rules[index].code
            if rules[index].remaining == 0 { rules.remove(at: index) }
            return .injected(code: code, retryAfterSeconds: nil)
        }
    }
}
