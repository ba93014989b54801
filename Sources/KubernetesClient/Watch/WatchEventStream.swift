package import Foundation
import Transport

/// The events of one watch request, decoded line by line as they arrive.
///
/// Ends when the server closes the stream; throws ``KubernetesError`` for a broken connection or an
/// undecodable line. An `ERROR` event is delivered as ``WatchEvent/error(_:)``, not thrown.
package struct WatchEventStream<R: KubernetesResource>: AsyncSequence, Sendable {
    package typealias Element = WatchEvent<R>
    let lines: AsyncThrowingStream<Data, any Error>

    package init(lines: AsyncThrowingStream<Data, any Error>) { self.lines = lines }

    package func makeAsyncIterator() -> Iterator { Iterator(lines: lines.makeAsyncIterator()) }

    package struct Iterator: AsyncIteratorProtocol {
        var lines: AsyncThrowingStream<Data, any Error>.AsyncIterator
        let decoder = JSONDecoder()

        package mutating func next() async throws(KubernetesError) -> WatchEvent<R>? {
            while true {
                let line: Data?
                do {
                    line = try await lines.next()
                } catch let error as TransportError {
                    throw .transport(error)
                } catch is CancellationError {
                    throw .transport(.cancelled)
                } catch {
                    throw .transport(.brokenResponse(message: "\(error)"))
                }
                guard let line else { return nil }
                if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
                do {
                    return try decoder.decode(WatchEventLine<R>.self, from: line).event
                } catch {
                    throw .decoding("watch event of \(R.resourceType): \(KubernetesClient.describe(error))")
                }
            }
        }

    }
}
