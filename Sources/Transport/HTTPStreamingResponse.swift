package import struct Foundation.Data

/// A response whose head has arrived and whose body is delivered as it comes.
///
/// Iterate ``body`` for raw chunks as they arrive, or ``lines`` for newline-delimited records
/// (Kubernetes watch events). Ending the iteration early (break, or cancelling the task that
/// iterates) aborts the transfer.
package struct HTTPStreamingResponse: Sendable {
    package var status: Int
    package var headers: HTTPHeaders
    package var body: AsyncThrowingStream<Data, any Error>

    package init(status: Int, headers: HTTPHeaders, body: AsyncThrowingStream<Data, any Error>) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body split at `\n`, each line without its terminator (a trailing `\r` is removed too).
    /// A last line without a terminator is delivered when the body ends.
    package var lines: AsyncThrowingStream<Data, any Error> {
        let chunks = body
        return AsyncThrowingStream { continuation in
            let task = Task {
                var buffer = Data()
                do {
                    for try await chunk in chunks {
                        buffer.append(chunk)
                        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                            var line = buffer[buffer.startIndex..<newline]
                            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                            continuation.yield(Data(line))
                            buffer = Data(buffer[buffer.index(after: newline)...])
                        }
                    }
                    if !buffer.isEmpty { continuation.yield(buffer) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Reads the whole body (for error responses of a stream request).
    package func collect(limit: Int = 1 << 20) async throws -> Data {
        var all = Data()
        for try await chunk in body {
            all.append(chunk)
            if all.count >= limit { break }
        }
        return all
    }
}
