import Testing
import Updater

@Suite("Registry budget (pure state machine)")
struct RegistryBudgetTests {
    private let configuration = RegistryBudget.Configuration(
        requestsPerSecond: 10, burst: 3, lowRemainingFraction: 0.2, maxWait: .seconds(60))

    @Test("a burst goes through at once, then requests are paced at the steady rate")
    func burstThenPace() {
        var budget = RegistryBudget(configuration: configuration)
        #expect(budget.reserve(now: .zero) == .now)
        #expect(budget.reserve(now: .zero) == .now)
        #expect(budget.reserve(now: .zero) == .now)
        #expect(budget.reserve(now: .zero) == .after(.milliseconds(100)))
        #expect(budget.reserve(now: .zero) == .after(.milliseconds(200)))
    }

    @Test("Retry-After blocks every request until it has passed")
    func retryAfterBlocks() {
        var budget = RegistryBudget(configuration: configuration)
        budget.observe(RateLimitSignal(retryAfter: .seconds(5)), now: .seconds(10))
        #expect(budget.reserve(now: .seconds(11)) == .after(.seconds(4)))
        #expect(budget.reserve(now: .seconds(16)) == .now)
    }

    @Test("a wait beyond maxWait is refused with the delay and reserves nothing")
    func refusedBeyondMaxWait() {
        var budget = RegistryBudget(configuration: configuration)
        budget.block(for: .seconds(120), now: .zero)
        #expect(budget.reserve(now: .zero) == .refused(retryAfter: .seconds(120)))
        #expect(budget.reserve(now: .seconds(120)) == .now)
    }

    @Test("low ratelimit-remaining spreads requests over the window instead of spending the rest at once")
    func lowRemainingSpreads() {
        var budget = RegistryBudget(configuration: configuration)
        budget.observe(RateLimitSignal(limit: 100, remaining: 10, window: .seconds(600)), now: .zero)
        #expect(budget.spreadInterval == .seconds(60))
        #expect(budget.reserve(now: .zero) == .now)
        #expect(budget.reserve(now: .zero) == .after(.seconds(60)))
        #expect(budget.reserve(now: .zero) == .refused(retryAfter: .seconds(120)))
    }

    @Test("a healthy reading ends spreading")
    func recovery() {
        var budget = RegistryBudget(configuration: configuration)
        budget.observe(RateLimitSignal(limit: 100, remaining: 5, window: .seconds(600)), now: .zero)
        budget.observe(RateLimitSignal(limit: 100, remaining: 90, window: .seconds(600)), now: .seconds(1))
        #expect(budget.spreadInterval == nil)
    }

    @Test("zero remaining blocks for one regeneration interval of the window")
    func zeroRemaining() {
        var budget = RegistryBudget(configuration: configuration)
        budget.observe(RateLimitSignal(limit: 100, remaining: 0, window: .seconds(2000)), now: .zero)
        #expect(budget.reserve(now: .zero) == .after(.seconds(20)))
    }
}
