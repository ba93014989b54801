package import Logging
import ServiceLifecycle

package import struct Foundation.Data

/// The production ``HTTPTransport``: libcurl, one multi handle, one dedicated thread.
///
/// All transfers of one `CurlTransport` share a ``CurlMultiLoop``: one thread that runs every libcurl
/// call, one connection cache (keep-alive reuse and HTTP/2 multiplexing across requests) and one DNS
/// cache. Async callers suspend on continuations; no cooperative thread blocks.
///
/// Guarantees:
/// - ``send(_:)`` returns the whole response, whatever its status; ``stream(_:)`` returns once the final
///   response head has arrived (after any `1xx` interim heads) and the body streams as it arrives.
/// - Cancelling the calling task aborts the transfer and throws ``TransportError/cancelled``; for a
///   stream, ending the body iteration (or dropping the body) aborts it too.
/// - TLS is verified against the system CAs unless the request's ``TLSConfiguration`` says otherwise;
///   proxies come from the environment (`HTTPS_PROXY`, `NO_PROXY`…, see ``ProxyConfiguration``);
///   redirects are not followed.
///
/// Lifetime: the loop thread starts with the first request. ``shutdown()`` (or, as a `Service`,
/// graceful shutdown of ``run()``) fails whatever is in flight with ``TransportError/cancelled``, stops
/// the thread and releases every libcurl handle; later calls fail with ``TransportError/cancelled``.
/// Dropping the last reference does the same without waiting. An open stream keeps its transport alive.
///
/// - Note: A stream's body is buffered without bound if the consumer reads more slowly than the server
///   writes; consumers (watches) are expected to keep up.
package final class CurlTransport: HTTPTransport, Service {
    private let loop: CurlMultiLoop
    private let logger: Logger

    /// Creates a transport. Cheap: no thread runs until the first request.
    ///
    /// - Parameters:
    ///   - proxy: the proxies for HTTP transfers; by default those of the process environment, read once.
    ///   - logger: where loop-level failures are reported (never request contents or credentials).
    /// - Throws: ``TransportError/curl(code:message:)`` when libcurl cannot initialise.
    package init(
        proxy: ProxyConfiguration = .fromEnvironment(), logger: Logger = Logger(label: "k8supdater.transport")
    ) throws(TransportError) {
        self.logger = logger
        loop = try CurlMultiLoop(logger: logger) { transfer throws(TransportError) in
            let easy = try CurlEasyHandle()
            switch transfer.work {
            case .http(let request): try easy.configure(http: request, proxy: proxy, transfer: transfer)
            case .mail(let mail): try easy.configure(mail: mail, transfer: transfer)
            }
            return easy
        }
    }

    deinit {
        loop.requestShutdown()
    }

    /// Performs a request and returns the whole response, whatever its status.
    ///
    /// - Throws: ``TransportError`` when no complete response was received.
    package func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let transfer = CurlTransfer(work: .http(request), host: CurlEasyHandle.host(of: request.url))
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation {
                (continuation: CheckedContinuation<Result<HTTPResponse, TransportError>, Never>) in
                transfer.sink = .buffered(continuation)
                loop.submit(transfer)
            }
        } onCancel: { [loop] in
            loop.cancel(transfer)
        }
        return try result.get()
    }

    /// Performs a request and returns when the final response head has arrived; the body streams.
    ///
    /// - Throws: ``TransportError`` when no response head was received. Later failures (timeouts,
    ///   a broken connection) end the body sequence with a ``TransportError``.
    package func stream(_ request: HTTPRequest) async throws(TransportError) -> HTTPStreamingResponse {
        let transfer = CurlTransfer(work: .http(request), host: CurlEasyHandle.host(of: request.url))
        let (body, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        continuation.onTermination = { [self] termination in
            // Also keeps the transport alive for as long as the body can be read.
            if case .cancelled = termination { loop.cancel(transfer) }
        }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation {
                (head: CheckedContinuation<Result<HTTPStreamingResponse, TransportError>, Never>) in
                transfer.sink = .streamHead(head, body: body, continuation: continuation)
                loop.submit(transfer)
            }
        } onCancel: { [loop] in
            loop.cancel(transfer)
        }
        return try result.get()
    }

    /// Submits a mail through SMTP on the same loop.
    ///
    /// - Parameters:
    ///   - message: the complete RFC 5322 message with CRLF line endings (``MailMessage/rendered()``).
    ///   - envelope: `MAIL FROM` and `RCPT TO` addresses.
    ///   - configuration: server, security and credentials.
    /// - Throws: ``TransportError/smtp(code:message:)`` when the server refuses the credentials, the
    ///   sender, a recipient or the message; ``TransportError/tls(message:)`` when TLS cannot be
    ///   established (including a server without STARTTLS when it is required); connection, DNS and
    ///   timeout errors as for HTTP.
    package func sendMail(
        _ message: Data, envelope: MailEnvelope, configuration: SMTPConfiguration
    ) async throws(TransportError) {
        try configuration.validate()
        try envelope.validate()
        let work = CurlMailWork(configuration: configuration, envelope: envelope, message: message)
        let transfer = CurlTransfer(work: .mail(work), host: CurlEasyHandle.host(of: configuration.url))
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Void, TransportError>, Never>) in
                transfer.sink = .mail(continuation)
                loop.submit(transfer)
            }
        } onCancel: { [loop] in
            loop.cancel(transfer)
        }
        try result.get()
    }

    /// Stops the loop thread and releases every libcurl handle; in-flight transfers fail with
    /// ``TransportError/cancelled``. Idempotent.
    package func shutdown() async {
        await loop.shutdown()
    }

    /// Runs until graceful shutdown (or cancellation), then ``shutdown()``.
    ///
    /// Place the transport *before* its users in a `ServiceGroup`: services shut down in reverse order,
    /// so the users drain (e.g. release a Lease over HTTP) before the transport stops.
    package func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }
}
