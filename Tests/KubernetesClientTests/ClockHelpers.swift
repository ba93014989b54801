import Clocks

extension TestClock<Duration> {
    /// Returns once some task is suspended in `sleep` on this clock (bounded; the caller's expectations
    /// fail afterwards if nobody ever sleeps).
    func waitForSleeper(maxYields: Int = 10_000) async {
        for _ in 0..<maxYields {
            do { try await checkSuspension() } catch { return }
        }
    }
}
