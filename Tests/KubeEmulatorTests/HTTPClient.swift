import Foundation
import Transport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Runs `body` with an HTTP client for the HTTP front: Foundation's URLSession (libcurl underneath
/// on Linux), streaming through a data delegate, so watches are read as they arrive.
func withHTTPClient(_ body: @Sendable (any HTTPTransport) async throws -> Void) async throws {
    let transport = URLSessionTransport()
    defer { transport.invalidate() }
    try await body(transport)
}

/// An `HTTPTransport` over URLSession, for tests of the emulator's HTTP front.
final class URLSessionTransport: NSObject, HTTPTransport, URLSessionDataDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private var heads: [Int: CheckedContinuation<HTTPURLResponse, any Error>] = [:]
    private var bodies: [Int: AsyncThrowingStream<Data, any Error>.Continuation] = [:]
    private var session: URLSession!

    override init() {
        super.init()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 3600
        session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }

    func invalidate() { session.invalidateAndCancel() }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let streaming = try await stream(request)
        var body = Data()
        do {
            for try await chunk in streaming.body { body.append(chunk) }
        } catch {
            throw .brokenResponse(message: "\(error)")
        }
        return HTTPResponse(status: streaming.status, headers: streaming.headers, body: body)
    }

    func stream(_ request: HTTPRequest) async throws(TransportError) -> HTTPStreamingResponse {
        guard let url = URL(string: request.url) else { throw .invalidRequest(request.url) }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method.rawValue
        for field in request.headers { urlRequest.addValue(field.value, forHTTPHeaderField: field.name) }
        urlRequest.httpBody = request.body
        let task = session.dataTask(with: urlRequest)
        let (body, bodyContinuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        let head: HTTPURLResponse
        do {
            head = try await withCheckedThrowingContinuation { continuation in
                lock.withLock {
                    heads[task.taskIdentifier] = continuation
                    bodies[task.taskIdentifier] = bodyContinuation
                }
                task.resume()
            }
        } catch {
            throw .connectionFailed(host: url.host ?? "", message: "\(error)")
        }
        bodyContinuation.onTermination = { _ in task.cancel() }
        var headers = HTTPHeaders()
        for (name, value) in head.allHeaderFields {
            headers.add(String(describing: name), String(describing: value))
        }
        return HTTPStreamingResponse(status: head.statusCode, headers: headers, body: body)
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        let continuation = lock.withLock { heads.removeValue(forKey: dataTask.taskIdentifier) }
        if let http = response as? HTTPURLResponse { continuation?.resume(returning: http) }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        _ = lock.withLock { bodies[dataTask.taskIdentifier] }?.yield(data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (head, body) = lock.withLock {
            (heads.removeValue(forKey: task.taskIdentifier), bodies.removeValue(forKey: task.taskIdentifier))
        }
        if let error {
            head?.resume(throwing: error)
            body?.finish(throwing: error)
        } else {
            head?.resume(throwing: URLError(.badServerResponse))
            body?.finish()
        }
    }
}
