import KubernetesClient
import Logging
import ServiceLifecycle

extension Coordinator: Service {
    /// Campaigns for the coordinator Lease and coordinates while holding it; after a lost term it
    /// campaigns again. Ends on graceful shutdown (stops the loop, then releases the Lease).
    ///
    /// - Throws: ``CoordinationError/workDidNotStop(lease:)`` when a lost term's work would not stop.
    ///
    /// While another replica coordinates, it observes the shard Leases every retry period
    /// (``observeLeases()``), so that its own term can start from continuous observations.
    package func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await self.observeWhileNotLeading() }
                group.addTask {
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
                defer { group.cancelAll() }
                try await group.next()
            }
        }
    }

    /// Observes the shard Leases every retry period while this replica is not the coordinator (its
    /// rounds list them while it is).
    private func observeWhileNotLeading() async {
        while !Task.isCancelled {
            if !elector.isLeader { await observeLeases() }
            do { try await clock.sleep(for: configuration.election.retryPeriod) } catch { return }
        }
    }

    /// One term: watch the objects, reconcile every retry period, re-list every resync interval.
    private func coordinate() async throws {
        let kept = startTerm()
        logger.notice(
            "coordinating",
            metadata: [
                "identity": "\(elector.identity)",
                "leaseObservations":
                    "\(kept ? "kept (observed continuously)" : "reset (every Lease counts as just observed)")",
            ])
        // Only names, shard labels, resourceVersions and deletion marks are read: the cache keeps those.
        let writer = StoreWriter<R>()
        let watcher = Watcher(
            client: client, R.self, in: configuration.objectNamespaces, clock: clock, logger: logger,
            transform: { $0.coordinationView })
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await runReflector(watcher, into: writer) }
            group.addTask {
                do { try await writer.store.waitUntilSynced() } catch { return }
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
