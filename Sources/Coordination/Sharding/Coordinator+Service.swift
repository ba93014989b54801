import KubernetesClient
import Logging
import ServiceLifecycle

extension Coordinator: Service {
    /// Campaigns for the coordinator Lease and coordinates while holding it; after a lost term it
    /// campaigns again. Ends on graceful shutdown (stops the loop, then releases the Lease).
    ///
    /// - Throws: ``CoordinationError/workDidNotStop(lease:)`` when a lost term's work would not stop.
    package func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.elector.withLeadership { try await self.coordinate() }
                } catch let error as CoordinationError {
                    if case .workDidNotStop = error { throw error }
                    self.logger.warning("coordinator term ended", metadata: ["error": "\(error)"])
                } catch {
                    return
                }
            }
        }
    }

    /// One term: watch the objects, reconcile every retry period, re-list every resync interval.
    private func coordinate() async throws {
        startTerm()
        logger.notice("coordinating", metadata: ["identity": "\(elector.identity)"])
        let writer = StoreWriter<R>()
        let watcher = Watcher(client: client, R.self, in: configuration.objectNamespaces, clock: clock, logger: logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await runReflector(watcher, into: writer) }
            group.addTask {
                await writer.store.waitUntilSynced()
                var lastResync = self.clock.now
                await self.resync()
                while !Task.isCancelled {
                    do { try await self.clock.sleep(for: self.configuration.election.retryPeriod) } catch { return }
                    if lastResync.duration(to: self.clock.now) >= self.configuration.resyncInterval {
                        lastResync = self.clock.now
                        await self.resync()
                    } else {
                        await self.reconcile(objects: writer.store.list())
                    }
                }
            }
            await group.next()
            group.cancelAll()
        }
        try Task.checkCancellation()
    }
}
