import CCurl
import Synchronization

import struct Foundation.Data

/// One request in flight through ``CurlMultiLoop``: what was asked, where the result goes, and the
/// response as it is assembled.
///
/// Threading contract: the caller creates the transfer and sets ``sink`` before handing it to the loop
/// (the loop's lock orders that hand-off). From then on every mutable property is touched only on the
/// loop thread, inside libcurl callbacks or loop iterations. The one exception is
/// ``requestCancellation()``, an atomic flag any thread may set.
///
/// The result is delivered exactly once: ``finish(_:)`` resumes the continuation and clears ``sink``.
final class CurlTransfer: @unchecked Sendable {
    /// What the transfer does.
    enum Work {
        case http(HTTPRequest)
        case mail(CurlMailWork)
    }

    /// Where the outcome goes.
    enum Sink {
        /// `send`: the whole response at the end.
        case buffered(CheckedContinuation<Result<HTTPResponse, TransportError>, Never>)
        /// `stream` before the head arrived: the head continuation, and the body stream to hand out with it.
        case streamHead(
            CheckedContinuation<Result<HTTPStreamingResponse, TransportError>, Never>,
            body: AsyncThrowingStream<Data, any Error>,
            continuation: AsyncThrowingStream<Data, any Error>.Continuation)
        /// `stream` after the head was delivered: body chunks as they arrive.
        case streamBody(AsyncThrowingStream<Data, any Error>.Continuation)
        /// Mail: success or failure at the end.
        case mail(CheckedContinuation<Result<Void, TransportError>, Never>)
    }

    let work: Work
    let context: CurlError.Context
    private let cancelled = Atomic<Bool>(false)

    // Loop-thread state (see the type's threading contract).
    var sink: Sink?
    var easy: CurlEasyHandle?
    var head = CurlResponseHead()
    var body = Data()
    var uploadOffset = 0

    init(work: Work, host: String) {
        self.work = work
        let isMail: Bool
        if case .mail = work { isMail = true } else { isMail = false }
        context = CurlError.Context(host: host, isMail: isMail)
    }

    /// Marks the transfer as cancelled; the loop aborts it (or never starts it) and reports
    /// ``TransportError/cancelled``. Any thread.
    func requestCancellation() { cancelled.store(true, ordering: .releasing) }

    /// Whether cancellation was requested. Any thread.
    var isCancellationRequested: Bool { cancelled.load(ordering: .acquiring) }

    /// Whether the outcome was delivered already.
    var isFinished: Bool { sink == nil }

    /// Opaque pointer to self for libcurl's `*DATA` options; valid while the loop holds the transfer.
    var userData: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static func from(_ userData: UnsafeMutableRawPointer) -> CurlTransfer {
        Unmanaged<CurlTransfer>.fromOpaque(userData).takeUnretainedValue()
    }

    // MARK: Callbacks (loop thread, inside curl_multi_perform)

    /// One header line of the response (status line, field, or the blank line ending a head).
    /// Returns the number of bytes consumed; anything else makes libcurl abort.
    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard !head.isComplete else { return bytes.count }  // trailers after the body: ignored
        head.consume(line: bytes)
        if head.isComplete { deliverHead() }
        return bytes.count
    }

    /// A piece of the response body. Returns the number of bytes consumed; 0 aborts the transfer.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        if !head.isComplete {
            head.markComplete()
            deliverHead()
        }
        switch sink {
        case .buffered:
            body.append(contentsOf: bytes)
        case .streamBody(let continuation):
            if case .terminated = continuation.yield(Data(bytes)) {
                requestCancellation()
                return 0
            }
        case .streamHead, .mail, nil:
            break
        }
        return bytes.count
    }

    /// Copies the next piece of the upload into `buffer`; 0 means the end.
    func provideUpload(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard case .mail(let mail) = work else { return 0 }
        let remaining = mail.message.count - uploadOffset
        let count = min(remaining, buffer.count)
        guard count > 0 else { return 0 }
        mail.message.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[uploadOffset..<uploadOffset + count]))
        }
        uploadOffset += count
        return count
    }

    private func deliverHead() {
        guard case .streamHead(let headContinuation, let stream, let continuation) = sink else { return }
        sink = .streamBody(continuation)
        headContinuation.resume(
            returning: .success(
                HTTPStreamingResponse(
                    status: head.status, headers: head.headers, body: stream)))
    }

    // MARK: Completion (loop thread)

    /// Delivers the outcome: success when `error` is nil. Idempotent.
    func finish(_ error: TransportError?) {
        let error = error.map { isCancellationRequested ? TransportError.cancelled : $0 }
        if error == nil, !head.isComplete, case .http = work {
            if head.status == 0, let code = easy?.info(CURLINFO_RESPONSE_CODE) { head.status = code }
            head.markComplete()
            deliverHead()
        }
        switch sink {
        case .buffered(let continuation):
            if let error {
                continuation.resume(returning: .failure(error))
            } else {
                continuation.resume(
                    returning: .success(HTTPResponse(status: head.status, headers: head.headers, body: body)))
            }
        case .streamHead(let headContinuation, _, let continuation):
            headContinuation.resume(returning: .failure(error ?? .brokenResponse(message: "no response head")))
            continuation.finish(throwing: error)
        case .streamBody(let continuation):
            if let error { continuation.finish(throwing: error) } else { continuation.finish() }
        case .mail(let continuation):
            continuation.resume(returning: error.map { .failure($0) } ?? .success(()))
        case nil:
            break
        }
        sink = nil
        body = Data()
    }

    /// Delivers the outcome of a completed libcurl transfer.
    func finish(code: CURLcode) {
        guard code != CURLE_OK else { return finish(nil) }
        guard let easy else { return finish(.curl(code: Int(code.rawValue), message: CurlError.text(of: code))) }
        finish(CurlError.transportError(code, context: context, observation: easy.observation(for: code)))
    }
}
