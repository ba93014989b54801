import CCurl
import Logging
import Synchronization

import class Foundation.Thread

/// The dedicated thread that drives one ``CurlMultiHandle``: every libcurl call of the transport runs
/// here, so no cooperative-pool thread ever blocks on I/O.
///
/// Callers hand work over with ``submit(_:)`` and ``cancel(_:)``: the command goes into a queue behind a
/// `Mutex` and `curl_multi_wakeup` interrupts the thread's `curl_multi_poll`. Each iteration drains the
/// queue, lets libcurl do the ready I/O (callbacks feed the transfers), and finishes completed
/// transfers, whose results reach the callers through continuations.
///
/// Lifetime: the thread starts on the first submitted transfer and runs until ``shutdown()`` (or
/// ``requestShutdown()``); then it fails every transfer still queued or running with
/// ``TransportError/cancelled``, removes and destroys their easy handles, and destroys the multi handle.
/// Work submitted after that fails at once. The thread holds a strong reference to the loop while it
/// runs, so the loop is destroyed only after the thread has stopped.
final class CurlMultiLoop: @unchecked Sendable {
    private enum Command: Sendable {
        case add(CurlTransfer)
        case cancel(CurlTransfer)
    }

    private enum Phase {
        case idle, running, stopping, stopped
    }

    private struct Shared {
        var phase = Phase.idle
        var commands: [Command] = []
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let shared = Mutex(Shared())
    /// Used by the loop thread; ``CurlMultiHandle/wakeup()`` by others, under `shared`'s lock, and only
    /// while the phase is `running` or `stopping`. Set to nil (which destroys it, closing the cached
    /// connections) under the lock when the phase becomes `stopped`.
    private var multi: CurlMultiHandle?
    private let configure: @Sendable (CurlTransfer) throws(TransportError) -> CurlEasyHandle
    private let logger: Logger
    /// Loop thread only: the transfers in the multi handle, by their `CURL *`.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    /// - Parameters:
    ///   - configure: builds the configured easy handle for a transfer (runs on the loop thread).
    ///   - logger: where loop-level failures are reported (never request contents).
    init(
        logger: Logger, configure: @escaping @Sendable (CurlTransfer) throws(TransportError) -> CurlEasyHandle
    ) throws(TransportError) {
        multi = try CurlMultiHandle()
        self.configure = configure
        self.logger = logger
    }

    // MARK: Any thread

    /// Queues a transfer. Its ``CurlTransfer/sink`` must be set. When the loop has stopped, the
    /// transfer fails at once with ``TransportError/cancelled``.
    func submit(_ transfer: CurlTransfer) {
        let accepted = shared.withLock { state -> Bool in
            switch state.phase {
            case .stopping, .stopped:
                return false
            case .idle:
                state.phase = .running
                state.commands.append(.add(transfer))
                let thread = Thread { [self] in self.run() }
                thread.name = "k8supdater-curl"
                thread.start()
                return true
            case .running:
                state.commands.append(.add(transfer))
                multi?.wakeup()
                return true
            }
        }
        if !accepted { transfer.finish(.cancelled) }
    }

    /// Aborts a transfer (or keeps it from starting) and fails it with ``TransportError/cancelled``.
    func cancel(_ transfer: CurlTransfer) {
        transfer.requestCancellation()
        shared.withLock { state in
            guard state.phase == .running else { return }
            state.commands.append(.cancel(transfer))
            multi?.wakeup()
        }
    }

    /// Stops the thread without waiting: running transfers fail with ``TransportError/cancelled``.
    func requestShutdown() {
        shared.withLock { state in
            switch state.phase {
            case .idle:
                state.phase = .stopped
                multi = nil
            case .running:
                state.phase = .stopping
                multi?.wakeup()
            case .stopping, .stopped: break
            }
        }
    }

    /// Stops the thread and waits until it has released every handle. Idempotent.
    func shutdown() async {
        requestShutdown()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = shared.withLock { state -> Bool in
                if state.phase == .stopped { return true }
                state.stopWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    // MARK: Loop thread

    private func run() {
        // Safe without the lock: the thread starts only from `running`, and only stop() clears it.
        guard let multi else { return stop() }
        while true {
            let (commands, stopping) = shared.withLock { state in
                let commands = state.commands
                state.commands.removeAll(keepingCapacity: true)
                return (commands, state.phase == .stopping)
            }
            for command in commands { execute(command, multi) }
            if stopping { break }
            do throws(TransportError) {
                try multi.perform()
                for (easy, result) in multi.completedTransfers() { complete(easy, result, multi) }
                try multi.poll(timeoutMilliseconds: 1000)
            } catch {
                // The multi handle itself failed (out of memory, or a bug): fail what is running rather
                // than spin on the same error.
                logger.error("libcurl multi loop failed", metadata: ["error": "\(error)"])
                for easy in Array(active.keys) { abort(easy, error, multi) }
            }
        }
        for easy in Array(active.keys) { abort(easy, .cancelled, multi) }
        stop()
    }

    private func execute(_ command: Command, _ multi: CurlMultiHandle) {
        switch command {
        case .add(let transfer):
            guard !transfer.isCancellationRequested else { return transfer.finish(.cancelled) }
            do throws(TransportError) {
                let easy = try configure(transfer)
                transfer.easy = easy
                try multi.add(easy)
                active[easy.raw] = transfer
            } catch {
                transfer.finish(error)
                transfer.easy = nil
            }
        case .cancel(let transfer):
            guard let easy = transfer.easy?.raw, active[easy] != nil else { return }
            abort(easy, .cancelled, multi)
        }
    }

    private func complete(_ easy: UnsafeMutableRawPointer, _ result: CURLcode, _ multi: CurlMultiHandle) {
        guard let transfer = active.removeValue(forKey: easy), let handle = transfer.easy else { return }
        multi.remove(handle)
        transfer.finish(code: result)
        transfer.easy = nil
    }

    private func abort(_ easy: UnsafeMutableRawPointer, _ error: TransportError, _ multi: CurlMultiHandle) {
        guard let transfer = active.removeValue(forKey: easy), let handle = transfer.easy else { return }
        multi.remove(handle)
        transfer.finish(error)
        transfer.easy = nil
    }

    /// Ends the loop: fails queued work, releases the multi handle, wakes ``shutdown()`` callers.
    private func stop() {
        let (leftovers, waiters) = shared.withLock { state in
            state.phase = .stopped
            multi = nil  // the loop's reference; curl_multi_cleanup runs when run() returns
            let result = (state.commands, state.stopWaiters)
            state.commands = []
            state.stopWaiters = []
            return result
        }
        for case .add(let transfer) in leftovers { transfer.finish(.cancelled) }
        for waiter in waiters { waiter.resume() }
    }
}
