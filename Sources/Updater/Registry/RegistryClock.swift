/// An injected clock seen as "time since start", so state machines can hold plain `Duration`s.
///
/// Built from any `Clock<Duration>`: `ContinuousClock` in production, swift-clocks' `TestClock` in tests.
package struct RegistryClock: Sendable {
    /// Time elapsed since this value was created.
    package let now: @Sendable () -> Duration
    /// Suspends for the duration (throws on cancellation).
    package let sleep: @Sendable (Duration) async throws -> Void

    package init<C: Clock<Duration>>(_ clock: C) {
        let start = clock.now
        now = { start.duration(to: clock.now) }
        sleep = { delay in try await clock.sleep(for: delay) }
    }

    /// The process's monotonic clock.
    package static var continuous: RegistryClock { RegistryClock(ContinuousClock()) }
}
