import Foundation
import Transport

extension KubernetesClient {
    /// Starts one watch request and returns its events as they arrive.
    ///
    /// This is the raw verb: it ends when the server closes the stream. Use ``Watcher`` for a watch that
    /// lists first, resumes, re-lists on 410 and backs off on errors.
    ///
    /// - Throws: ``KubernetesError`` when the server refuses the watch (the error statuses of the
    ///   response head; a 410 here means the resourceVersion is too old).
    package func watch<R: KubernetesResource>(
        _ type: R.Type, in namespaces: NamespaceSelection = .all, options: WatchOptions = WatchOptions()
    ) async throws(KubernetesError) -> WatchEventStream<R> {
        let path = ResourcePath.collection(R.resourceType, namespace: namespaces.namespace)
        let call = APICall(method: .get, path: path, query: options.query, idempotent: true)
        var refreshedAuth = false
        while true {
            let request = try await buildRequest(call, timeouts: configuration.watchTimeouts)
            let response: HTTPStreamingResponse
            do {
                try await limiter()
                response = try await transport.stream(request)
            } catch let error as TransportError {
                throw .transport(error)
            } catch {
                throw .transport(.cancelled)
            }
            if (200..<300).contains(response.status) { return WatchEventStream(lines: response.lines) }
            let body = (try? await response.collect(limit: 64 * 1024)) ?? Data()
            let error = KubernetesError(status: response.status, headers: response.headers, body: body)
            if case .unauthorized = error, !refreshedAuth {
                refreshedAuth = true
                if await configuration.auth.invalidate() { continue }
            }
            throw error
        }
    }
}
