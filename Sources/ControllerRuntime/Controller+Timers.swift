import CoreMetrics
import KubernetesClient
import Synchronization
import Transport

extension Controller {
    /// The one timer: fires due periodic slots and delayed adds, refreshes the time-based gauges, and
    /// sleeps until the earliest of the next slot, the next delayed add and the next metrics refresh.
    func runTimers() async {
        var nextMetrics = clock.now
        while !Task.isCancelled {
            let now = clock.now
            let wall = wallNow()
            let refreshMetrics = now >= nextMetrics
            if refreshMetrics { nextMetrics = now.advanced(by: configuration.metricsInterval) }
            let (handoffs, deadline, gauges) = state.withLock { state in
                for slot in state.schedule.popDue(now: wall) {
                    let dueSince = instant(at: slot.due, wallNow: wall, instant: now)
                    if state.queue.add(slot.key, dueSince: dueSince) { metrics.adds.increment() }
                }
                state.queue.promoteDue(now: now)
                let handoffs = state.dispatch(now: now, storeSynced: store.isSynced, mayStart: configuration.mayStart())
                var deadline = nextMetrics
                if let wakeup = state.queue.nextWakeup(), wakeup < deadline { deadline = wakeup }
                if let due = state.schedule.nextDue().map({ instant(at: $0, wallNow: wall, instant: now) }),
                    due < deadline
                {
                    deadline = due
                }
                let gauges =
                    refreshMetrics
                    ? (
                        depth: state.queue.depth,
                        longest: state.longestRunning(now: now)?.duration ?? .zero,
                        behind: state.queue.oldestReadySince.map { max($0.duration(to: now), .zero) } ?? .zero
                    ) : nil
                return (handoffs, deadline, gauges)
            }
            for handoff in handoffs { handoff.resume() }
            if let gauges {
                metrics.depth.record(gauges.depth)
                metrics.longestRunning.record(gauges.longest.seconds)
                metrics.secondsBehind.record(gauges.behind.seconds)
            }
            await timerWakeup.wait(until: deadline, clock: clock)
        }
    }
}
