import CoreMetrics

/// The controller's metrics (swift-metrics), each with a `controller` dimension.
///
/// - `controller_queue_depth` (gauge): keys ready and waiting for a worker.
/// - `controller_queue_adds_total` (counter): keys newly queued (de-duplicated adds do not count).
/// - `controller_queue_retries_total` (counter): retries scheduled with backoff.
/// - `controller_work_duration_seconds` (timer): how long each reconcile ran.
/// - `controller_longest_running_seconds` (gauge): how long the longest in-flight reconcile has run.
/// - `controller_seconds_behind` (gauge): how long the oldest ready key has waited past its due time —
///   for periodic checks, how far behind schedule the controller is.
/// - `controller_missed_cycles_total` (counter): objects whose status showed a missed periodic cycle.
struct ControllerMetrics: Sendable {
    let depth: Gauge
    let adds: Counter
    let retries: Counter
    let workDuration: CoreMetrics.Timer
    let longestRunning: Gauge
    let secondsBehind: Gauge
    let missedCycles: Counter

    init(name: String, factory: any MetricsFactory) {
        let dimensions = [("controller", name)]
        depth = Gauge(label: "controller_queue_depth", dimensions: dimensions, factory: factory)
        adds = Counter(label: "controller_queue_adds_total", dimensions: dimensions, factory: factory)
        retries = Counter(label: "controller_queue_retries_total", dimensions: dimensions, factory: factory)
        workDuration = CoreMetrics.Timer(
            label: "controller_work_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds,
            factory: factory)
        longestRunning = Gauge(label: "controller_longest_running_seconds", dimensions: dimensions, factory: factory)
        secondsBehind = Gauge(label: "controller_seconds_behind", dimensions: dimensions, factory: factory)
        missedCycles = Counter(label: "controller_missed_cycles_total", dimensions: dimensions, factory: factory)
    }
}
