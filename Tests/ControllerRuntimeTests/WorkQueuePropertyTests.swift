import Clocks
import ControllerRuntime
import KubernetesClient
import PropertyBased
import Testing
import Transport

@Suite("WorkQueue properties under random interleavings")
struct WorkQueuePropertyTests {
    enum Step: Sendable, Hashable {
        case add(Int)
        case addAfter(Int, seconds: Int)
        case take
        case finish(slot: Int, outcome: Int)
        case forget(Int)
        case advance(seconds: Int)
    }

    static let step = zip(Gen.int(in: 0...5), Gen.int(in: 0...4), Gen.int(in: 0...3)).map { kind, key, extra -> Step in
        switch kind {
        case 0: .add(key)
        case 1: .addAfter(key, seconds: extra * 5)
        case 2: .take
        case 3: .finish(slot: key, outcome: extra)
        case 4: .forget(key)
        default: .advance(seconds: extra * 3)
        }
    }

    /// Whatever the order of adds, takes, completions, forgets and time: a key is never handed out while
    /// it is processing, at most `maxConcurrent` keys are in flight, and a key added and not forgotten
    /// is eventually handed out again.
    @Test("never two workers on one key; bounded; every dirty key runs again")
    func exclusivityAndLiveness() async {
        await propertyCheck(count: 300, input: Self.step.array(of: 1...120), Gen.int(in: 1...3)) { steps, limit in
            var now = TestClock<Duration>().now
            var queue = WorkQueue<Int, TestClock<Duration>.Instant>(
                configuration: WorkQueueConfiguration(
                    maxConcurrent: limit,
                    backoff: Backoff(initialDelay: .seconds(1), maxDelay: .seconds(8), jitter: 0.5),
                    retryQPS: 2, retryBurst: 3, seed: 7),
                now: now)
            var inFlight: [Int] = []
            var owed: Set<Int> = []  // keys added (or failed) and not forgotten since their last start
            var forgottenInFlight: Set<Int> = []  // their completion is ignored
            for step in steps {
                switch step {
                case .add(let key):
                    queue.add(key, now: now)
                    owed.insert(key)
                    forgottenInFlight.remove(key)
                case .addAfter(let key, let seconds):
                    queue.add(key, after: .seconds(seconds), now: now)
                    owed.insert(key)
                case .take:
                    if let key = queue.next(now: now) {
                        #expect(!inFlight.contains(key), "key \(key) handed out twice")
                        inFlight.append(key)
                        owed.remove(key)
                    }
                    #expect(inFlight.count <= limit)
                case .finish(let slot, let outcome):
                    guard !inFlight.isEmpty else { continue }
                    let key = inFlight.remove(at: slot % inFlight.count)
                    let completion: WorkQueue<Int, TestClock<Duration>.Instant>.Completion =
                        switch outcome {
                        case 0: .success(checkAgainAfter: nil)
                        case 1: .success(checkAgainAfter: .seconds(4))
                        case 2: .retry
                        default: .terminal
                        }
                    #expect(queue.isProcessing(key))
                    if forgottenInFlight.remove(key) == nil, outcome == 1 || outcome == 2 { owed.insert(key) }
                    queue.done(key, completion, now: now)
                case .forget(let key):
                    queue.forget(key)
                    owed.remove(key)
                    if inFlight.contains(key) { forgottenInFlight.insert(key) }
                case .advance(let seconds):
                    now = now.advanced(by: .seconds(seconds))
                }
            }
            for key in inFlight { queue.done(key, .success(checkAgainAfter: nil), now: now) }
            // Drain: every owed key must come out, once each, within bounded time.
            var seen: [Int] = []
            for _ in 0..<200 {
                while let key = queue.next(now: now) {
                    seen.append(key)
                    queue.done(key, .success(checkAgainAfter: nil), now: now)
                }
                guard let wakeup = queue.nextWakeup() else { break }
                now = wakeup
            }
            #expect(owed.isSubset(of: Set(seen)), "owed \(owed.sorted()), ran \(seen)")
            #expect(queue.depth == 0 && queue.processingCount == 0)
        }
    }
}
