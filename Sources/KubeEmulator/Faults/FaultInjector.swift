import Synchronization

/// Fault hooks on the emulator, in the style of controller-runtime's interceptor: tests arm them on a
/// running emulator; nothing on the request path takes a test-only parameter.
///
/// Every request (both fronts) is checked against the armed faults before it is served. Rules match
/// on the Kubernetes verb (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`)
/// and the resource plural (optionally `plural/subresource`); nil matches anything.
package final class FaultInjector: Sendable {
    struct FailureRule: Sendable {
        var verb: String?
        var resource: String?
        var remaining: Int
        var code: Int
        var retryAfterSeconds: Int?
    }

    struct LatencyRule: Sendable {
        var verb: String?
        var resource: String?
        var delay: Duration
    }

    struct State: Sendable {
        var failures: [FailureRule] = []
        var latencies: [LatencyRule] = []
        var frozen: Set<Identity> = []
        var partitioned: Set<Identity> = []
        var injectedCount = 0
    }

    /// What to do with one request.
    enum Decision: Sendable {
        case proceed(latency: Duration)
        case fail(APIError, latency: Duration)
        /// Answer nothing: the connection breaks (in-process: `TransportError.connectionFailed`).
        case drop
    }

    private let state = Mutex(State())

    /// Faults that let a request take effect and then fail its answer (`FaultInjector+AfterApply.swift`).
    package let afterApply = AfterApplyFaults()

    init() {}

    /// The next `count` requests matching verb and resource fail with `code` (500, 503, 429 …); 429 and
    /// 503 carry `Retry-After: retryAfterSeconds` when given.
    package func failNext(
        _ count: Int = 1, verb: String? = nil, resource: String? = nil, code: Int, retryAfterSeconds: Int? = nil
    ) {
        state.withLock {
            $0.failures.append(
                FailureRule(
                    verb: verb, resource: resource, remaining: count, code: code, retryAfterSeconds: retryAfterSeconds))
        }
    }

    /// Adds `delay` before answering every matching request, until ``reset()``.
    package func addLatency(_ delay: Duration, verb: String? = nil, resource: String? = nil) {
        state.withLock { $0.latencies.append(LatencyRule(verb: verb, resource: resource, delay: delay)) }
    }

    /// Holds every request of this identity unanswered until ``unfreeze(_:)`` (a stalled client or network).
    package func freeze(_ identity: Identity) {
        _ = state.withLock { $0.frozen.insert(identity) }
    }

    package func unfreeze(_ identity: Identity) {
        _ = state.withLock { $0.frozen.remove(identity) }
    }

    /// Cuts this identity off: its requests fail as broken connections, until ``heal(_:)``. The emulator
    /// also ends its open watches (``Emulator/partition(_:)`` does both).
    package func partition(_ identity: Identity) {
        _ = state.withLock { $0.partitioned.insert(identity) }
    }

    package func heal(_ identity: Identity) {
        _ = state.withLock { $0.partitioned.remove(identity) }
    }

    /// Disarms everything.
    package func reset() {
        state.withLock { $0 = State() }
        afterApply.reset()
    }

    /// How many requests an armed failure rule has failed so far.
    package var injectedFailures: Int { state.withLock { $0.injectedCount } }

    func isFrozen(_ identity: Identity) -> Bool { state.withLock { $0.frozen.contains(identity) } }

    func decide(verb: String, resource: String?, identity: Identity) -> Decision {
        state.withLock { state in
            if state.partitioned.contains(identity) { return .drop }
            func matches(_ ruleVerb: String?, _ ruleResource: String?) -> Bool {
                (ruleVerb == nil || ruleVerb == verb)
                    && (ruleResource == nil || ruleResource == resource
                        || resource?.split(separator: "/").first.map(String.init) == ruleResource)
            }
            let latency = state.latencies.filter { matches($0.verb, $0.resource) }.map(\.delay).reduce(.zero, +)
            if let index = state.failures.firstIndex(where: { $0.remaining > 0 && matches($0.verb, $0.resource) }) {
                state.failures[index].remaining -= 1
                state.injectedCount += 1
                let rule = state.failures[index]
                if rule.remaining == 0 { state.failures.remove(at: index) }
                return .fail(.injected(code: rule.code, retryAfterSeconds: rule.retryAfterSeconds), latency: latency)
            }
            return .proceed(latency: latency)
        }
    }
}

extension Emulator {
    /// Partitions an identity (see ``FaultInjector/partition(_:)``) and ends its open watches.
    package func partition(_ identity: Identity) {
        faults.partition(identity)
        dropWatches(identity: identity)
    }

    /// The identity a bearer token maps to, for arming identity faults (nil for an unknown token).
    package func identity(of token: String) -> Identity? {
        identity(forToken: token)
    }
}
