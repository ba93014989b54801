extension Watcher {
    /// The same events, each applied to `writer`'s store before it is passed on (kube-rs
    /// `WatchStreamExt::reflect`).
    package func reflect(into writer: StoreWriter<R>) -> AsyncMapSequence<Watcher, WatcherEvent<R>> {
        map { event in
            writer.apply(event)
            return event
        }
    }
}

/// Keeps a store current from a watcher until the task is cancelled (for a `Service.run()`).
package func runReflector<R, C>(_ watcher: Watcher<R, C>, into writer: StoreWriter<R>) async {
    for await event in watcher { writer.apply(event) }
}
