import Transport

/// Runs `body` with the production HTTP client (libcurl) for tests of the HTTP front, and shuts it
/// down afterwards.
func withHTTPClient(_ body: @Sendable (any HTTPTransport) async throws -> Void) async throws {
    let transport = try CurlTransport()
    do {
        try await body(transport)
    } catch {
        await transport.shutdown()
        throw error
    }
    await transport.shutdown()
}
