extension Watcher {
    /// The same events, each applied to `writer`'s store before it is passed on (kube-rs
    /// `WatchStreamExt::reflect`). The watcher remembers what it reported through that store
    /// (``remembering(in:)``): each object is held once.
    package func reflect(into writer: StoreWriter<R>) -> AsyncMapSequence<Watcher, WatcherEvent<R>> {
        remembering(in: writer.store).map { event in
            writer.apply(event)
            return event
        }
    }
}

/// Keeps a store current from a watcher until the task is cancelled (for a `Service.run()`); the
/// watcher remembers what it reported through the store (``Watcher/remembering(in:)``).
package func runReflector<R, C>(_ watcher: Watcher<R, C>, into writer: StoreWriter<R>) async {
    for await event in watcher.remembering(in: writer.store) { writer.apply(event) }
}
