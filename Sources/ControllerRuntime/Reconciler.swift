package import KubernetesClient

/// Makes the world match one object: the heart of a controller.
///
/// Expected flow: the ``Controller`` dequeues a key, reads the latest object from its cache and calls
/// ``reconcile(_:context:)``. The returned ``ReconcileAction`` (or thrown ``ReconcileError``) decides
/// when the key comes back.
///
/// Guarantees:
/// - Never two concurrent calls for the same key.
/// - `object` is the cache's copy at the moment the call starts, never one captured when the key was
///   queued; the call is skipped when the object has left the cache (deleted, no longer owned).
/// - When the key is deleted, drained or no longer owned, the call's task is cancelled
///   (``ReconcileContext/cancellationReason`` says why); its result is then ignored.
///
/// Assumptions: the reconciler is idempotent and cooperative: it checks `Task.isCancelled` (or lets a
/// cancelled request throw) between steps that write.
package protocol Reconciler<Resource>: Sendable {
    associatedtype Resource: KubernetesResource

    /// Reconciles `object` (the latest cached copy of ``ReconcileContext/key``).
    ///
    /// - Throws: ``ReconcileError``; ``ReconcileError/isRetryable`` decides between a backoff retry and
    ///   waiting for a change.
    func reconcile(_ object: Resource, context: ReconcileContext) async throws(ReconcileError) -> ReconcileAction
}

/// A ``Reconciler`` made from a closure.
package struct ReconcileFunction<Resource: KubernetesResource>: Reconciler {
    private let body: @Sendable (Resource, ReconcileContext) async throws(ReconcileError) -> ReconcileAction

    package init(
        _ body: @escaping @Sendable (Resource, ReconcileContext) async throws(ReconcileError) -> ReconcileAction
    ) {
        self.body = body
    }

    package func reconcile(_ object: Resource, context: ReconcileContext) async throws(ReconcileError)
        -> ReconcileAction
    {
        try await body(object, context)
    }
}
