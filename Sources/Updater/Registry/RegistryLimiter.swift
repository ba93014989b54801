/// The per-registry request budgets of this replica, shared by every lookup (the async shell around
/// ``RegistryBudget``).
///
/// Every request to a registry host first calls ``acquire(host:)``; every response is reported with
/// ``observe(host:signal:)``. Hosts are independent: Docker Hub's limit never slows down GHCR.
package actor RegistryLimiter {
    private let configuration: RegistryBudget.Configuration
    private let clock: RegistryClock
    private let metrics: RegistryMetrics
    private var budgets: [String: RegistryBudget] = [:]

    package init(
        configuration: RegistryBudget.Configuration = .default,
        clock: RegistryClock = .continuous,
        metrics: RegistryMetrics = RegistryMetrics()
    ) {
        self.configuration = configuration
        self.clock = clock
        self.metrics = metrics
    }

    /// Waits for this host's next slot.
    ///
    /// - Throws: ``RegistryError/throttled(registry:retryAfter:)`` when the slot is further away than
    ///   the configured `maxWait` (nothing is reserved then), or when the task is cancelled while waiting.
    package func acquire(host: String) async throws(RegistryError) {
        var budget = budgets[host] ?? RegistryBudget(configuration: configuration)
        let reservation = budget.reserve(now: clock.now())
        budgets[host] = budget
        switch reservation {
        case .now:
            return
        case .after(let delay):
            metrics.throttled(host: host, delay: delay)
            do { try await clock.sleep(delay) } catch {
                throw .transport(registry: host, detail: "cancelled while waiting for the rate limit", retryable: true)
            }
        case .refused(let retryAfter):
            metrics.throttled(host: host, delay: retryAfter)
            throw .throttled(registry: host, retryAfter: retryAfter)
        }
    }

    /// Takes in the rate-limit headers of a response from `host`.
    package func observe(host: String, signal: RateLimitSignal) {
        var budget = budgets[host] ?? RegistryBudget(configuration: configuration)
        budget.observe(signal, now: clock.now())
        budgets[host] = budget
        if let remaining = signal.remaining { metrics.remaining(host: host, value: remaining) }
    }

    /// Blocks `host` for `delay` (a 429/503 whose Retry-After was missing or unreadable).
    package func block(host: String, for delay: Duration) {
        var budget = budgets[host] ?? RegistryBudget(configuration: configuration)
        budget.block(for: delay, now: clock.now())
        budgets[host] = budget
    }

    /// Whether a request to `host` now would wait for its slot (or be refused): its budget is used up for
    /// the moment. Reserves nothing.
    package func isBusy(host: String) -> Bool {
        guard var budget = budgets[host] else { return false }
        return budget.reserve(now: clock.now()) != .now
    }

    /// The last rate-limit reading for `host`, if any.
    package func lastSignal(host: String) -> RateLimitSignal? { budgets[host]?.lastSignal }

    /// The extra spacing currently applied to `host` because its remaining budget is low.
    package func spreadInterval(host: String) -> Duration? { budgets[host]?.spreadInterval }
}
