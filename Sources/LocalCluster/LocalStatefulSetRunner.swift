package import KubernetesClient
package import Logging
import ServiceLifecycle
package import Transport

/// Runs every Pod of one StatefulSet as a local `k8supdater run` process, as a kubelet would: it
/// watches the Pods the StatefulSet controls, starts a process for each new Pod (credentials,
/// environment, arguments and ports from the Pod: ``PodWorker``), restarts a process that exits or is
/// killed (CrashLoopBackOff), reports restarts and readiness in the Pod's status, and stops the
/// process of a Pod that is deleted: SIGTERM, then SIGKILL after its `terminationGracePeriodSeconds`.
/// So `kubectl scale statefulset`, `kubectl delete pod` and `kill -9` drive real processes.
///
/// A kube-apiserver keeps a Pod bound to a node in `Terminating` until its kubelet reports the
/// containers stopped, and the StatefulSet controller creates the replacement only then (at most one
/// Pod per ordinal). The emulator deletes Pods at once, so the runner adds its finalizer
/// (``finalizer``) to every Pod it runs and removes it when the process has stopped: the Pod shows
/// `Terminating` meanwhile and `<name>-N` is recreated only after the old process is gone.
package actor LocalStatefulSetRunner: Service {
    /// Holds a deleted Pod until its process has stopped.
    package static let finalizer = "k8supdater.io/local-runner"

    package let settings: LocalClusterSettings
    let client: KubernetesClient
    let probeTransport: any HTTPTransport
    let logger: Logger
    private var workers: [String: (worker: PodWorker, task: Task<Void, Never>)] = [:]
    /// Terminations in progress by Pod name: a new Pod of the same name starts after it.
    private var terminations: [String: Task<Void, Never>] = [:]
    private var listed: Set<String> = []

    /// - Parameters:
    ///   - client: the runner's own API access (a kubelet's rights: read Pods, Secrets, ConfigMaps, patch
    ///     Pods and their status, create ServiceAccount tokens).
    ///   - probeTransport: carries the readiness probes (loopback HTTP).
    package init(
        settings: LocalClusterSettings, client: KubernetesClient, probeTransport: any HTTPTransport,
        logger: Logger = Logger(label: "k8supdater.local")
    ) {
        self.settings = settings
        self.client = client
        self.probeTransport = probeTransport
        self.logger = logger
    }

    /// The Pods running now (or waiting to restart), by name.
    package func pods() async -> [LocalPodState] {
        var states: [LocalPodState] = []
        for entry in workers.values { states.append(await entry.worker.snapshot) }
        return states.sorted { $0.name < $1.name }
    }

    /// The Pod `name`, if the runner runs it.
    package func pod(named name: String) async -> LocalPodState? {
        await pods().first { $0.name == name }
    }

    package func run() async throws {
        let watcher = Watcher(
            client: client, RunnablePod.self, in: .named(settings.namespace),
            configuration: WatcherConfiguration(watchTimeoutSeconds: 60), clock: ContinuousClock(), logger: logger)
        for await event in watcher.cancelOnGracefulShutdown() {
            await handle(event)
        }
        await shutdown()
    }

    private func handle(_ event: WatcherEvent<RunnablePod>) async {
        switch event {
        case .initStart:
            listed = []
        case .initApply(let pod):
            if let uid = pod.metadata.uid { listed.insert(uid) }
            await sync(pod)
        case .initDone:
            for uid in workers.keys where !listed.contains(uid) { stop(uid, grace: nil, removingFinalizerOf: nil) }
        case .apply(let pod):
            await sync(pod)
        case .delete(let pod):
            if let uid = pod.metadata.uid { stop(uid, grace: grace(of: pod), removingFinalizerOf: nil) }
        }
    }

    /// The settings' override, else the deletion's grace period, else the Pod's
    /// `terminationGracePeriodSeconds` (30 s by default). The emulator records 0 as the deletion grace of
    /// every object that waits for a finalizer (a kube-apiserver gives a Pod its grace period), so 0 is
    /// read as "not given".
    private func grace(of pod: RunnablePod) -> Duration {
        if let override = settings.terminationGracePeriod { return override }
        if let seconds = pod.metadata.deletionGracePeriodSeconds, seconds > 0 { return .seconds(seconds) }
        return .seconds(pod.spec?.terminationGracePeriodSeconds ?? 30)
    }

    private func sync(_ pod: RunnablePod) async {
        guard pod.isControlled(byStatefulSet: settings.statefulSet), let uid = pod.metadata.uid,
            let name = pod.metadata.name
        else { return }
        let finalizers = pod.metadata.finalizers ?? []
        if pod.metadata.deletionTimestamp != nil {
            if workers[uid] != nil {
                stop(uid, grace: grace(of: pod), removingFinalizerOf: pod)
            } else if finalizers.contains(Self.finalizer), terminations[name] == nil {
                let client = client
                let logger = logger
                terminations[name] = Task { await Self.removeFinalizer(of: pod, client: client, logger: logger) }
            }
            return
        }
        guard workers[uid] == nil else { return }
        if !finalizers.contains(Self.finalizer) {
            do {
                _ = try await client.patch(
                    RunnablePod.self, name: name, namespace: pod.metadata.namespace, at: try ResourceVersion(of: pod),
                    merge: ["metadata": ["finalizers": .array((finalizers + [Self.finalizer]).map(JSON.string))]])
            } catch {
                // The Pod changed (its next event brings it back here) or the API failed.
                logger.debug("cannot add the finalizer", metadata: ["pod": "\(name)", "error": "\(error)"])
                return
            }
        }
        guard let container = pod.spec?.containers.first else { return }
        if (pod.spec?.containers.count ?? 0) > 1 {
            logger.warning("only the first container runs", metadata: ["pod": "\(name)"])
        }
        let worker: PodWorker
        do {
            worker = try PodWorker(
                pod: pod, container: container, settings: settings, client: client, probeTransport: probeTransport,
                logger: logger)
        } catch {
            logger.error("cannot prepare the Pod", metadata: ["pod": "\(name)", "error": "\(error)"])
            return
        }
        let previous = terminations[name]
        let task = Task {
            await previous?.value
            await worker.run()
        }
        workers[uid] = (worker, task)
    }

    /// Stops the worker of `uid` (if any) in the background, then removes the finalizer of `pod`.
    private func stop(_ uid: String, grace: Duration?, removingFinalizerOf pod: RunnablePod?) {
        guard let entry = workers.removeValue(forKey: uid) else { return }
        let grace = grace ?? settings.terminationGracePeriod ?? .seconds(30)
        let client = client
        let logger = logger
        let name = entry.worker.name
        let previous = terminations[name]
        terminations[name] = Task {
            await previous?.value
            await entry.worker.terminate(grace: grace)
            await entry.task.value
            if let pod { await Self.removeFinalizer(of: pod, client: client, logger: logger) }
        }
    }

    /// Removes the runner's finalizer (re-reading on a conflict); a Pod already gone is fine.
    static func removeFinalizer(of pod: RunnablePod, client: KubernetesClient, logger: Logger) async {
        guard let name = pod.metadata.name else { return }
        for _ in 0..<20 {
            do {
                let current = try await client.get(RunnablePod.self, name: name, namespace: pod.metadata.namespace)
                guard current.metadata.uid == pod.metadata.uid,
                    let finalizers = current.metadata.finalizers, finalizers.contains(finalizer)
                else { return }
                let rest = finalizers.filter { $0 != finalizer }
                _ = try await client.patch(
                    RunnablePod.self, name: name, namespace: pod.metadata.namespace,
                    at: try ResourceVersion(of: current),
                    merge: ["metadata": ["finalizers": rest.isEmpty ? .null : .array(rest.map(JSON.string))]])
                return
            } catch {
                if case .failed(.notFound) = error as? GuardedWriteError { return }
                if case .notFound = error as? KubernetesError { return }
                logger.debug("cannot remove the finalizer yet", metadata: ["pod": "\(name)", "error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// Stops every process (SIGTERM, then SIGKILL after the grace period) and removes the runner's
    /// finalizer from the Pods, so that they can be deleted without it.
    private func shutdown() async {
        let running = workers
        workers = [:]
        await withTaskGroup(of: Void.self) { group in
            for (_, entry) in running {
                let grace =
                    settings.terminationGracePeriod
                    ?? .seconds(entry.worker.pod.spec?.terminationGracePeriodSeconds ?? 30)
                group.addTask {
                    await entry.worker.terminate(grace: grace)
                    await entry.task.value
                }
            }
            for task in terminations.values { group.addTask { await task.value } }
        }
        for (_, entry) in running {
            await Self.removeFinalizer(of: entry.worker.pod, client: client, logger: logger)
        }
    }
}
