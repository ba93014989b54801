package import Foundation
package import Transport

/// Sends one registry request under the registry's budget: waits for a slot, caps the body, reads
/// the rate-limit headers, honours Retry-After on 429/503, counts everything, and turns transport
/// failures into ``RegistryError``.
///
/// Shared by every registry client of a replica (they share the ``RegistryLimiter``).
package struct RegistryHTTPClient: Sendable {
    package let transport: any HTTPTransport
    package let limiter: RegistryLimiter
    package let metrics: RegistryMetrics
    package let limits: RegistryLimits
    /// Where wall-clock times of Retry-After dates are measured from.
    private let now: @Sendable () -> Date

    package init(
        transport: any HTTPTransport,
        limiter: RegistryLimiter = RegistryLimiter(),
        metrics: RegistryMetrics = RegistryMetrics(),
        limits: RegistryLimits = .default,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.transport = transport
        self.limiter = limiter
        self.metrics = metrics
        self.limits = limits
        self.now = now
    }

    /// Sends `request` to `host` (the budget key); `kind` labels the metrics.
    ///
    /// Returns any response the caller must interpret (including 401/404) except 429/503, which are
    /// retried after their Retry-After while the budget allows, then thrown as ``RegistryError/throttled(registry:retryAfter:)``.
    package func send(_ request: HTTPRequest, host: String, kind: String) async throws(RegistryError) -> HTTPResponse {
        var request = request
        request.timeouts = HTTPTimeouts(connect: limits.connectTimeout, total: limits.requestTimeout)
        if request.headers["User-Agent"] == nil { request.headers["User-Agent"] = BuildInfo.userAgent }
        var attempt = 0
        while true {
            do {
                try await limiter.acquire(host: host)
            } catch {
                metrics.error(host: host, reason: error.reason)
                throw error
            }
            metrics.request(host: host, kind: kind)
            let response = try await perform(request, host: host)
            let signal = RateLimitSignal(headers: response.headers, now: now())
            if let signal { await limiter.observe(host: host, signal: signal) }
            guard response.status == 429 || response.status == 503 else { return response }
            let delay = signal?.retryAfter ?? limits.defaultRetryAfter
            if signal?.retryAfter == nil { await limiter.block(host: host, for: delay) }
            metrics.throttled(host: host, delay: delay)
            attempt += 1
            if attempt > limits.maxThrottleRetries {
                metrics.error(host: host, reason: "RegistryThrottled")
                throw .throttled(registry: host, retryAfter: delay)
            }
        }
    }

    private func perform(_ request: HTTPRequest, host: String) async throws(RegistryError) -> HTTPResponse {
        do {
            if request.method == .head { return try await transport.send(request) }
            let streamed = try await transport.stream(request)
            if let length = streamed.headers["Content-Length"].flatMap(Int.init), length > limits.maxResponseBytes {
                throw RegistryError.responseTooLarge(registry: host, limit: limits.maxResponseBytes)
            }
            var body = Data()
            for try await chunk in streamed.body {
                body.append(chunk)
                if body.count > limits.maxResponseBytes {
                    throw RegistryError.responseTooLarge(registry: host, limit: limits.maxResponseBytes)
                }
            }
            return HTTPResponse(status: streamed.status, headers: streamed.headers, body: body)
        } catch let error as RegistryError {
            metrics.error(host: host, reason: error.reason)
            throw error
        } catch let error as TransportError {
            let mapped = RegistryError.transport(
                registry: host, detail: error.description, retryable: error.isRetryable)
            metrics.error(host: host, reason: mapped.reason)
            throw mapped
        } catch {
            let mapped = RegistryError.transport(registry: host, detail: "\(error)", retryable: true)
            metrics.error(host: host, reason: mapped.reason)
            throw mapped
        }
    }
}
