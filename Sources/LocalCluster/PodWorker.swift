import Foundation
import KubernetesClient
import Logging
import LoopbackFixtures
import Transport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One Pod's container as a local process, run the way a kubelet runs it: credentials and environment
/// from the Pod, restarts with CrashLoopBackOff (`restartPolicy: Always`), the readiness probe polled
/// and `status.containerStatuses` / the `Ready` condition written through the API.
actor PodWorker {
    let pod: RunnablePod
    let container: RunnablePod.Container
    let launch: ContainerLaunch
    let settings: LocalClusterSettings
    let client: KubernetesClient
    let probeTransport: any HTTPTransport
    let environment: ContainerEnvironment
    /// The Pod's directory: token, kubeconfig and the output of each run.
    let directory: String
    let logger: Logger
    private var process: TestProcess?
    private var state = ContainerRunState()
    private var stopping = false
    private let stopRequested = AsyncSignal()
    private var renewTokenAt: ContinuousClock.Instant?
    private var logPaths: [String] = []
    private var writingStatus = false
    private var statusChanged = false

    init(
        pod: RunnablePod, container: RunnablePod.Container, settings: LocalClusterSettings, client: KubernetesClient,
        probeTransport: any HTTPTransport, logger: Logger
    ) throws {
        self.pod = pod
        self.container = container
        self.settings = settings
        self.client = client
        self.probeTransport = probeTransport
        self.environment = ContainerEnvironment(client: client, namespace: pod.metadata.namespace ?? "default")
        self.launch = try ContainerLaunch(container: container, extraArguments: settings.extraArguments) {
            try FreeLoopbackPort.next()
        }
        let directory = "\(settings.directory)/\(pod.metadata.name ?? "pod")-\((pod.metadata.uid ?? "").prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.directory = directory
        self.logger = logger
    }

    nonisolated var name: String { pod.metadata.name ?? "" }

    /// What a test or the demo can see of this Pod.
    var snapshot: LocalPodState {
        var processID: Int32?
        if case .running(_, let id) = state.phase, process?.hasExited == false { processID = id }
        return LocalPodState(
            name: name, uid: pod.metadata.uid ?? "", processID: processID, httpPort: launch.httpPort,
            restartCount: state.restartCount, ready: state.ready, logPaths: logPaths, directory: directory)
    }

    /// Runs the container until ``terminate(grace:)``: start, wait for the exit, back off, restart.
    func run() async {
        var backoff = settings.restartBackoff
        while !stopping {
            let variables: [(String, String)]
            do {
                try await renewTokenIfDue()
                variables = try await environment.resolve(container, in: pod)
            } catch {
                let failure = error as? LocalClusterError ?? .containerConfig("\(error)")
                state.phase = .waiting(reason: failure.reason, message: failure.description)
                state.ready = false
                logger.warning("cannot start", metadata: ["pod": "\(name)", "error": "\(failure)"])
                await writeStatus()
                if await stopRequested.wait(upTo: backoff.delayAfterStartFailure()) { break }
                continue
            }
            var processEnvironment = Dictionary(variables, uniquingKeysWith: { _, last in last })
            processEnvironment["KUBECONFIG"] = "\(directory)/kubeconfig"
            processEnvironment["HOME"] = directory
            processEnvironment["HOSTNAME"] = name
            processEnvironment.merge(settings.extraEnvironment) { _, extra in extra }
            let started: TestProcess
            do {
                started = try TestProcess.start(
                    settings.executable, arguments: launch.arguments, directory: directory,
                    environment: processEnvironment)
            } catch {
                state.phase = .waiting(reason: "CreateContainerError", message: "\(error)")
                await writeStatus()
                if await stopRequested.wait(upTo: backoff.delayAfterStartFailure()) { break }
                continue
            }
            process = started
            logPaths.append(started.outputPath)
            let startedAt = Date()
            let clock = ContinuousClock()
            let startInstant = clock.now
            state.phase = .running(startedAt: startedAt, processID: started.processIdentifier)
            state.ready = container.readinessProbe == nil
            logger.info(
                "started",
                metadata: ["pod": "\(name)", "pid": "\(started.processIdentifier)", "port": "\(launch.httpPort)"])
            if stopping { started.signal(SIGTERM) }
            await writeStatus()
            let probing = Task { await self.probe(started) }
            while !(await started.waitForExit(upTo: .seconds(3600))) {}
            probing.cancel()
            await probing.value
            let termination = started.termination
            state.lastTerminated = ContainerRunState.Terminated(
                exitCode: termination.map { $0.signalled ? 128 + $0.status : $0.status } ?? -1,
                signal: termination.flatMap { $0.signalled ? $0.status : nil }, startedAt: startedAt,
                finishedAt: Date(), processID: started.processIdentifier)
            state.ready = false
            if stopping { break }
            state.restartCount += 1
            let delay = backoff.delay(afterRunOf: clock.now - startInstant)
            state.phase = .waiting(
                reason: "CrashLoopBackOff",
                message: "back-off \(delay) restarting failed container=\(container.name) pod=\(name)")
            logger.notice(
                "exited; restarting after back-off",
                metadata: ["pod": "\(name)", "termination": "\(String(describing: termination))", "delay": "\(delay)"])
            await writeStatus()
            if await stopRequested.wait(upTo: delay) { break }
        }
    }

    /// SIGTERM, then SIGKILL once `grace` has passed; returns when the process is gone (the runner then
    /// waits for ``run()`` to end).
    func terminate(grace: Duration) async {
        stopping = true
        stopRequested.fire()
        guard let process, !process.hasExited else { return }
        logger.info(
            "stopping", metadata: ["pod": "\(name)", "pid": "\(process.processIdentifier)", "grace": "\(grace)"])
        process.signal(SIGTERM)
        if await process.waitForExit(upTo: grace) { return }
        process.signal(SIGKILL)
        await process.waitForExit(upTo: .seconds(60))
    }

    private func renewTokenIfDue() async throws(LocalClusterError) {
        let clock = ContinuousClock()
        if let renewTokenAt, clock.now < renewTokenAt { return }
        let credentials = PodCredentials(
            client: client, server: settings.server, pod: pod, directory: directory,
            expirationSeconds: settings.tokenExpirationSeconds)
        renewTokenAt = clock.now + (try await credentials.refresh())
    }

    /// Polls the readiness probe while `process` runs and renews the token when it is due.
    private func probe(_ process: TestProcess) async {
        let probe = container.readinessProbe
        let period = settings.probePeriod ?? .seconds(probe?.periodSeconds ?? 10)
        let threshold = max(probe?.failureThreshold ?? 3, 1)
        var failures = 0
        while !Task.isCancelled && !process.hasExited {
            do { try await renewTokenIfDue() } catch {
                logger.warning("token renewal failed", metadata: ["pod": "\(name)", "error": "\(error)"])
            }
            if let get = probe?.httpGet, let port = launch.localPort(of: get.port, in: container) {
                let passed = await check("http://127.0.0.1:\(port)\(get.path ?? "/")")
                failures = passed ? 0 : failures + 1
                let ready = passed ? true : (failures >= threshold ? false : state.ready)
                if ready != state.ready, !process.hasExited, !stopping {
                    state.ready = ready
                    await writeStatus()
                }
            }
            try? await Task.sleep(for: period)
        }
    }

    private func check(_ url: String) async -> Bool {
        let request = HTTPRequest(url: url, timeouts: HTTPTimeouts(connect: .seconds(1), total: .seconds(1)))
        guard let response = try? await probeTransport.send(request) else { return false }
        return (200..<400).contains(response.status)
    }

    /// Writes the container's state into the Pod's status (a merge patch on `/status`, like the
    /// kubelet's unconditional status patch). Failures are logged: the next change writes everything again.
    /// Writes run one at a time; a change during a write is written right after it.
    private func writeStatus() async {
        statusChanged = true
        guard !writingStatus else { return }
        writingStatus = true
        defer { writingStatus = false }
        while statusChanged {
            statusChanged = false
            let namespace = pod.metadata.namespace
            do {
                let current = try await client.get(RunnablePod.self, name: name, namespace: namespace)
                guard current.metadata.uid == pod.metadata.uid else { return }
                let patch = state.statusPatch(for: current, container: container.name, now: Date())
                _ = try await client.patchStatus(
                    RunnablePod.self, name: name, namespace: namespace, patch: .merge(patch))
            } catch {
                if case .notFound = error { return }
                logger.warning("cannot write the Pod status", metadata: ["pod": "\(name)", "error": "\(error)"])
            }
        }
    }
}

/// A Pod as the runner runs it, for tests and the demo.
package struct LocalPodState: Sendable, Hashable {
    package var name: String
    package var uid: String
    /// The running process, nil between runs and after it stopped.
    package var processID: Int32?
    /// The loopback port of its `/healthz`, `/readyz` and `/metrics`.
    package var httpPort: Int
    package var restartCount: Int
    package var ready: Bool
    /// The output of each run, oldest first.
    package var logPaths: [String]
    /// The Pod's directory (token, kubeconfig, logs).
    package var directory: String
}
