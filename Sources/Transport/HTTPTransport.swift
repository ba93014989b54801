/// The port every HTTP user depends on: the libcurl transport in production, the emulator's
/// in-process transport and scripted transports in tests.
///
/// - Important: Implementations never block a cooperative thread, and cancelling the calling task
///   aborts the transfer (``TransportError/cancelled``).
package protocol HTTPTransport: Sendable {
    /// Performs a request and returns the whole response, whatever its status.
    ///
    /// - Throws: ``TransportError`` when no HTTP response was received (connection, DNS, TLS,
    ///   timeout, cancellation). An HTTP error status is a response, not an error; use
    ///   ``HTTPResponse/checked()``.
    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse

    /// Performs a request and returns as soon as the response head has arrived; the body streams.
    ///
    /// - Throws: ``TransportError`` as for ``send(_:)``. Errors after the head arrive through the
    ///   body sequence.
    func stream(_ request: HTTPRequest) async throws(TransportError) -> HTTPStreamingResponse
}
