/// What a reconcile asks the runtime to do next (kube-rs `Action`, controller-runtime `Result`).
///
/// Reconcilers are level-based: they look at the latest cached object, make the world match it and
/// say when they want to look again. They never schedule anything themselves.
package enum ReconcileAction: Sendable, Hashable {
    /// Success. The key's backoff is reset; the next check comes from the object's periodic slot (if
    /// it has an interval) or from the next relevant change.
    case done
    /// Success, and look again after this long (in addition to the periodic slot; whichever is first).
    case checkAgain(after: Duration)
    /// Not done yet (a transient condition, e.g. a dependent object is not ready): try again after the
    /// key's exponential backoff, subject to the global retry rate limit.
    case retry
}
