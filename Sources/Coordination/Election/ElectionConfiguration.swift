/// Lease timings of leader election and membership (client-go's semantics and defaults).
///
/// - `leaseDuration` (15 s): how long after a Lease was last *observed* to change others may take it.
/// - `renewDeadline` (10 s): how long after the start of its last successful renewal a holder keeps
///   acting; past it, it stops all guarded work (self-fence) even if the API server is unreachable.
/// - `retryPeriod` (2 s): the pause between attempts (candidates poll with up to 1.2 × jitter).
/// - `leaseGrace` (default = `leaseDuration`): extra time the coordinator waits after a shard Lease
///   expired before it takes the Lease over (`--lease-grace`).
package struct ElectionConfiguration: Sendable, Hashable {
    package var leaseDuration: Duration
    package var renewDeadline: Duration
    package var retryPeriod: Duration
    /// nil means "as long as ``leaseDuration``".
    package var grace: Duration?

    /// client-go's `JitterFactor`: candidates wait between `retryPeriod` and 2.2 × `retryPeriod`.
    package static let jitterFactor = 1.2

    package init(
        leaseDuration: Duration = .seconds(15), renewDeadline: Duration = .seconds(10),
        retryPeriod: Duration = .seconds(2), grace: Duration? = nil
    ) {
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
        self.grace = grace
    }

    /// The takeover grace G.
    package var leaseGrace: Duration { grace ?? leaseDuration }

    /// The Lease's `leaseDurationSeconds` (rounded up to whole seconds, at least 1).
    package var leaseDurationSeconds: Int {
        let components = leaseDuration.components
        return max(1, Int(components.seconds) + (components.attoseconds > 0 ? 1 : 0))
    }

    /// The request timeout of the Lease client: half the renew deadline, so one hung request cannot
    /// cost the Lease (kubernetes#44887).
    package var leaseRequestTimeout: Duration { renewDeadline / 2 }

    /// Checks client-go's rules: all positive, leaseDuration > renewDeadline > 1.2 × retryPeriod.
    ///
    /// - Throws: ``CoordinationError/invalidConfiguration(_:)`` naming the broken rule.
    package func validate() throws(CoordinationError) {
        guard leaseDuration > .zero, renewDeadline > .zero, retryPeriod > .zero, leaseGrace >= .zero else {
            throw .invalidConfiguration("lease duration, renew deadline and retry period must be positive")
        }
        guard leaseDuration > renewDeadline else {
            throw .invalidConfiguration(
                "lease duration (\(leaseDuration)) must exceed renew deadline (\(renewDeadline))")
        }
        guard renewDeadline > retryPeriod * Self.jitterFactor else {
            throw .invalidConfiguration(
                "renew deadline (\(renewDeadline)) must exceed \(Self.jitterFactor) × retry period (\(retryPeriod))")
        }
    }
}
