import KubernetesClient
import Logging
import ServiceLifecycle

extension ShardReplica: Service {
    /// Campaigns for the shard Lease and serves the shard while holding it; campaigns again with a new
    /// incarnation after a loss; on graceful shutdown quiesces the work and releases the Lease.
    ///
    /// - Throws: ``CoordinationError/workDidNotStop(lease:)`` when work would not stop after a loss.
    package func run() async throws {
        defer { finishStreams() }
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.campaign() }
                group.addTask {
                    await self.shutdown.wait()
                    // Not serving: nothing to quiesce or release; stop campaigning.
                    if self.shutdown.hasFired, !self.isServing { throw CancellationError() }
                }
                do {
                    while (try await group.next()) != nil {}
                } catch is CancellationError {
                    group.cancelAll()
                } catch {
                    group.cancelAll()
                    throw error
                }
            }
        } onGracefulShutdown: {
            self.shutdown.fire()
        }
    }

    private func campaign() async throws {
        while !shutdown.hasFired {
            do {
                try await elector.withLeadership(stopBound: configuration.stopBound) { try await self.serve() }
                return
            } catch let error as CoordinationError {
                guard case .leadershipLost = error else { throw error }
                nextIncarnation()
            }
        }
    }

    /// One incarnation while holding the Lease: watch the own shard until shutdown, then quiesce.
    private func serve() async throws {
        let writer = objectsWriter
        setServing(true)
        defer { setServing(false) }
        let watcher = Watcher(
            client: client, R.self, in: configuration.objectNamespaces,
            configuration: WatcherConfiguration(labelSelector: ShardLabels.selector(shard: configuration.podName)),
            clock: clock, logger: logger, transform: { $0.withoutManagedFields }
        ).remembering(in: writer.store)
        logger.notice("serving shard", metadata: ["identity": "\(identity)"])
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in watcher {
                    writer.apply(event)
                    await self.handle(event)
                }
            }
            group.addTask { await self.shutdown.wait() }
            await group.next()
            group.cancelAll()
        }
        if Task.isCancelled {
            await hooks.cancelAll()
            throw CancellationError()
        }
        logger.notice("shutting down: waiting for in-flight work", metadata: ["bound": "\(configuration.drainBound)"])
        await hooks.quiesce(configuration.drainBound)
    }
}
