import Transport

/// The kubelet's restart back-off for `restartPolicy: Always`: after the n-th consecutive failure the
/// container is restarted after `min(maximum, initial · 2ⁿ⁻¹)`; a run that lasted `reset` or longer
/// forgets earlier failures. Built on Transport's ``Backoff`` without jitter.
package struct CrashLoopBackOff: Sendable {
    package var initial: Duration
    package var maximum: Duration
    package var reset: Duration
    private var backoff: Backoff

    package init(initial: Duration = .seconds(10), maximum: Duration = .seconds(300), reset: Duration = .seconds(600)) {
        self.initial = initial
        self.maximum = maximum
        self.reset = reset
        backoff = Backoff(initialDelay: initial, maxDelay: maximum, jitter: 0)
    }

    /// The delay before the next start, after a run of `duration` that ended by itself.
    package mutating func delay(afterRunOf duration: Duration) -> Duration {
        if duration >= reset { backoff.reset() }
        return backoff.next()
    }

    /// The delay before retrying a container that could not even be configured or started.
    package mutating func delayAfterStartFailure() -> Duration { backoff.next() }
}
