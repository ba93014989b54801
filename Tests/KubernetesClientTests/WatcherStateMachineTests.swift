import Clocks
import KubernetesClient
import Testing
import Transport

@Suite("Watcher state machine")
struct WatcherStateMachineTests {
    typealias Machine = WatcherStateMachine<Lease, TestClock<Duration>.Instant>

    static func lease(_ name: String, _ version: String) -> Lease {
        Lease(metadata: ObjectMeta(name: name, namespace: "ops", resourceVersion: version))
    }

    static func page(_ items: [Lease], version: String = "10", next: String? = nil) -> ObjectList<Lease> {
        ObjectList(metadata: ListMeta(resourceVersion: version, continue: next), items: items)
    }

    static func configuration(pageSize: Int? = 2) -> WatcherConfiguration {
        WatcherConfiguration(
            labelSelector: "k8supdater.io/shard=a", pageSize: pageSize, watchTimeoutSeconds: 290,
            backoff: Backoff(initialDelay: .seconds(1), maxDelay: .seconds(8), jitter: 0))
    }

    /// Brings a machine to an open watch after an initial list of `items` at version 10.
    static func watching(_ items: [Lease], clock: TestClock<Duration>) -> Machine {
        var machine = Machine(configuration: configuration(pageSize: nil))
        _ = machine.nextAction(now: clock.now)
        _ = machine.listed(page(items))
        _ = machine.nextAction(now: clock.now)
        machine.watchOpened()
        return machine
    }

    @Test("lists page by page, reports the init sequence, then watches from the first page's version")
    func initialListThenWatch() {
        let clock = TestClock()
        var machine = Machine(configuration: Self.configuration())
        #expect(
            machine.nextAction(now: clock.now)
                == .list(ListOptions(labelSelector: "k8supdater.io/shard=a", limit: 2)))
        // Each page is reported as it arrives: no array of the whole list is gathered.
        #expect(
            machine.listed(Self.page([Self.lease("a", "3"), Self.lease("b", "4")], next: "t1"))
                == [.initStart, .initApply(Self.lease("a", "3")), .initApply(Self.lease("b", "4"))])
        #expect(!machine.hasSynced)
        #expect(
            machine.nextAction(now: clock.now)
                == .list(ListOptions(labelSelector: "k8supdater.io/shard=a", limit: 2, continueToken: "t1")))
        let events = machine.listed(Self.page([Self.lease("c", "5")], version: "11"))
        #expect(events == [.initApply(Self.lease("c", "5")), .initDone])
        #expect(machine.hasSynced)
        #expect(
            machine.nextAction(now: clock.now)
                == .watch(
                    WatchOptions(
                        labelSelector: "k8supdater.io/shard=a", resourceVersion: "10", allowWatchBookmarks: true,
                        timeoutSeconds: 290)))
        machine.watchOpened()
        #expect(machine.nextAction(now: clock.now) == .readWatch)
    }

    @Test("watch events become apply/delete; duplicates and deletes of unknown objects are dropped")
    func watchEvents() {
        let clock = TestClock()
        var machine = Self.watching([Self.lease("a", "3")], clock: clock)
        #expect(machine.received(.added(Self.lease("b", "11")), now: clock.now) == [.apply(Self.lease("b", "11"))])
        #expect(machine.received(.modified(Self.lease("b", "11")), now: clock.now).isEmpty)
        #expect(machine.received(.modified(Self.lease("a", "12")), now: clock.now) == [.apply(Self.lease("a", "12"))])
        #expect(machine.received(.deleted(Self.lease("zz", "13")), now: clock.now).isEmpty)
        #expect(machine.received(.deleted(Self.lease("a", "14")), now: clock.now) == [.delete(Self.lease("a", "14"))])
        #expect(machine.known.keys.map(\.name) == ["b"])
    }

    @Test(
        "the transform applies to every object as it arrives: list pages, watch events, the relist's deletes; the machine keeps only transformed objects"
    )
    func transformBeforeKeeping() {
        let clock = TestClock()
        func full(_ name: String, _ version: String) -> Lease {
            var lease = Self.lease(name, version)
            lease.metadata.managedFields = [.object(["manager": .string("kubectl")])]
            return lease
        }
        var machine = Machine(configuration: Self.configuration(pageSize: nil), transform: { $0.withoutManagedFields })
        _ = machine.nextAction(now: clock.now)
        let initial = machine.listed(Self.page([full("a", "3"), full("b", "4")]))
        #expect(initial == [.initStart, .initApply(Self.lease("a", "3")), .initApply(Self.lease("b", "4")), .initDone])
        _ = machine.nextAction(now: clock.now)
        machine.watchOpened()
        #expect(machine.received(.modified(full("a", "11")), now: clock.now) == [.apply(Self.lease("a", "11"))])
        #expect(machine.received(.deleted(full("b", "12")), now: clock.now) == [.delete(Self.lease("b", "12"))])
        #expect(machine.received(.added(full("c", "13")), now: clock.now) == [.apply(Self.lease("c", "13"))])
        #expect(machine.known.values.allSatisfy { $0.metadata.managedFields == nil })
        let gone = StatusBody(message: "too old resource version: 13 (50)", reason: "Expired", code: 410)
        _ = machine.received(.error(gone), now: clock.now)
        _ = machine.nextAction(now: clock.now)
        // The relist's delete reports the last known (transformed) state.
        #expect(
            machine.listed(Self.page([full("a", "11"), full("d", "41")], version: "50"))
                == [.apply(Self.lease("d", "41")), .delete(Self.lease("c", "13"))])
        #expect(machine.known.values.allSatisfy { $0.metadata.managedFields == nil })
    }

    @Test("after the stream ends it resumes from the last version seen, bookmarks included")
    func resumeAfterBookmark() {
        let clock = TestClock()
        var machine = Self.watching([], clock: clock)
        _ = machine.received(.added(Self.lease("a", "11")), now: clock.now)
        #expect(machine.received(.bookmark(resourceVersion: "20"), now: clock.now).isEmpty)
        machine.watchEnded(now: clock.now)
        guard case .watch(let options) = machine.nextAction(now: clock.now) else {
            Issue.record("expected a watch")
            return
        }
        #expect(options.resourceVersion == "20")
    }

    @Test("410 in an ERROR event re-lists at once and reports only the differences")
    func goneRelistsWithDiff() {
        let clock = TestClock()
        var machine = Self.watching([Self.lease("a", "3"), Self.lease("b", "4"), Self.lease("c", "5")], clock: clock)
        let gone = StatusBody(message: "too old resource version: 10 (50)", reason: "Expired", code: 410)
        #expect(machine.received(.error(gone), now: clock.now).isEmpty)
        guard case .list(let options) = machine.nextAction(now: clock.now) else {
            Issue.record("expected a re-list")
            return
        }
        #expect(options.continueToken == nil)
        let events = machine.listed(
            Self.page([Self.lease("a", "3"), Self.lease("c", "40"), Self.lease("d", "41")], version: "50"))
        #expect(
            events == [.apply(Self.lease("c", "40")), .apply(Self.lease("d", "41")), .delete(Self.lease("b", "4"))])
        guard case .watch(let watch) = machine.nextAction(now: clock.now) else {
            Issue.record("expected a watch")
            return
        }
        #expect(watch.resourceVersion == "50")
    }

    @Test("a watch refused with 410 re-lists; other failures back off and resume the watch")
    func failures() {
        let clock = TestClock()
        var machine = Self.watching([], clock: clock)
        machine.failed(.transport(.connectionFailed(host: "h", message: "reset")), now: clock.now)
        #expect(machine.nextAction(now: clock.now) == .sleep(until: clock.now.advanced(by: .seconds(1))))
        guard case .watch(let options) = machine.nextAction(now: clock.now.advanced(by: .seconds(1))) else {
            Issue.record("expected a watch after the delay")
            return
        }
        #expect(options.resourceVersion == "10")
        machine.failed(.server(StatusBody(), retryAfter: nil), now: clock.now)
        #expect(machine.nextAction(now: clock.now) == .sleep(until: clock.now.advanced(by: .seconds(2))))
        _ = machine.nextAction(now: clock.now.advanced(by: .seconds(2)))
        machine.failed(.gone(StatusBody()), now: clock.now)
        guard case .list = machine.nextAction(now: clock.now) else {
            Issue.record("expected a re-list after 410")
            return
        }
    }

    @Test("backoff grows with consecutive failures and resets after a success")
    func backoffResets() {
        let clock = TestClock()
        var machine = Machine(configuration: Self.configuration())
        var delays: [Duration] = []
        var now = clock.now
        for _ in 0..<5 {
            _ = machine.nextAction(now: now)
            machine.failed(.transport(.timeout(kind: .connect, message: "slow")), now: now)
            let action = machine.nextAction(now: now)
            guard case .sleep(let until) = action else {
                Issue.record("expected a sleep after a failure, got \(action)")
                return
            }
            delays.append(now.duration(to: until))
            now = until
        }
        #expect(delays == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8)])
        _ = machine.nextAction(now: now)
        _ = machine.listed(Self.page([]))
        _ = machine.nextAction(now: now)
        machine.failed(.transport(.timeout(kind: .connect, message: "slow")), now: now)
        #expect(machine.nextAction(now: now) == .sleep(until: now.advanced(by: .seconds(1))))
    }

    @Test("a list that fails mid-way resumes from the same page, without repeating earlier pages")
    func listResumesPage() {
        let clock = TestClock()
        var machine = Machine(configuration: Self.configuration())
        _ = machine.nextAction(now: clock.now)
        #expect(machine.listed(Self.page([Self.lease("a", "3"), Self.lease("b", "4")], next: "t1")).count == 3)
        _ = machine.nextAction(now: clock.now)
        machine.failed(.server(StatusBody(), retryAfter: nil), now: clock.now)
        guard case .list(let options) = machine.nextAction(now: clock.now.advanced(by: .seconds(1))) else {
            Issue.record("expected the list to resume")
            return
        }
        #expect(options.continueToken == "t1")
        let events = machine.listed(Self.page([Self.lease("c", "5")]))
        #expect(events == [.initApply(Self.lease("c", "5")), .initDone])
        #expect(machine.known.keys.map(\.name).sorted() == ["a", "b", "c"])
    }

    @Test(
        "a first list whose continue token expired restarts with initStart and forgets the pages before"
    )
    func firstListRestarts() {
        let clock = TestClock()
        var machine = Machine(configuration: Self.configuration())
        _ = machine.nextAction(now: clock.now)
        _ = machine.listed(Self.page([Self.lease("a", "3"), Self.lease("b", "4")], next: "t1"))
        _ = machine.nextAction(now: clock.now)
        machine.failed(.gone(StatusBody(reason: "Expired", code: 410)), now: clock.now)
        guard case .list(let options) = machine.nextAction(now: clock.now.advanced(by: .seconds(1))) else {
            Issue.record("expected the list to restart")
            return
        }
        #expect(options.continueToken == nil)
        // "a" was deleted in between: the restarted list's snapshot does not have it.
        #expect(
            machine.listed(Self.page([Self.lease("b", "7"), Self.lease("c", "8")], version: "20"))
                == [.initStart, .initApply(Self.lease("b", "7")), .initApply(Self.lease("c", "8")), .initDone])
        #expect(machine.known.keys.map(\.name).sorted() == ["b", "c"])
        guard case .watch(let watch) = machine.nextAction(now: clock.now) else {
            Issue.record("expected a watch")
            return
        }
        #expect(watch.resourceVersion == "20")
    }

    @Test(
        "a re-list over pages applies changes page by page and deletes at its end only what its restarted snapshot lacks"
    )
    func relistOverPagesRestarts() {
        let clock = TestClock()
        var machine = Self.watching([Self.lease("a", "3"), Self.lease("b", "4"), Self.lease("c", "5")], clock: clock)
        machine.failed(.gone(StatusBody()), now: clock.now)
        _ = machine.nextAction(now: clock.now)
        #expect(
            machine.listed(Self.page([Self.lease("a", "30"), Self.lease("d", "31")], version: "40", next: "t1"))
                == [.apply(Self.lease("a", "30")), .apply(Self.lease("d", "31"))])
        _ = machine.nextAction(now: clock.now)
        machine.failed(.gone(StatusBody()), now: clock.now)
        _ = machine.nextAction(now: clock.now.advanced(by: .seconds(1)))
        // The restarted snapshot: "a" unchanged since the first try, "b" gone, "d" gone, "c" changed.
        #expect(
            machine.listed(Self.page([Self.lease("a", "30"), Self.lease("c", "42")], version: "50", next: "t2"))
                == [.apply(Self.lease("c", "42"))])
        _ = machine.nextAction(now: clock.now)
        #expect(
            machine.listed(Self.page([Self.lease("e", "43")], version: "50"))
                == [.apply(Self.lease("e", "43")), .delete(Self.lease("b", "4")), .delete(Self.lease("d", "31"))])
        #expect(machine.known.keys.map(\.name).sorted() == ["a", "c", "e"])
    }

    @Test(
        "remembering through a store: the same events, only resourceVersions kept, a re-list's deletes carry the store's last state"
    )
    func remembersThroughStore() {
        let clock = TestClock()
        let writer = StoreWriter<Lease>()
        var machine = Machine(configuration: Self.configuration(pageSize: nil), lastKnown: writer.store)
        func feed(_ events: [WatcherEvent<Lease>]) -> [WatcherEvent<Lease>] {
            for event in events { writer.apply(event) }
            return events
        }
        _ = machine.nextAction(now: clock.now)
        #expect(
            feed(machine.listed(Self.page([Self.lease("a", "3"), Self.lease("b", "4")])))
                == [.initStart, .initApply(Self.lease("a", "3")), .initApply(Self.lease("b", "4")), .initDone])
        _ = machine.nextAction(now: clock.now)
        machine.watchOpened()
        #expect(feed(machine.received(.modified(Self.lease("b", "4")), now: clock.now)).isEmpty)
        var renewed = Self.lease("b", "11")
        renewed.spec = Lease.Spec(holderIdentity: "k8supdater-1")
        #expect(feed(machine.received(.modified(renewed), now: clock.now)) == [.apply(renewed)])
        #expect(
            feed(machine.received(.deleted(Self.lease("a", "12")), now: clock.now)) == [.delete(Self.lease("a", "12"))])
        #expect(feed(machine.received(.deleted(Self.lease("a", "12")), now: clock.now)).isEmpty)
        machine.failed(.gone(StatusBody()), now: clock.now)
        _ = machine.nextAction(now: clock.now)
        // "b" vanished in the gap: its delete carries its last state, read from the store.
        #expect(
            feed(machine.listed(Self.page([Self.lease("c", "20")], version: "20")))
                == [.apply(Self.lease("c", "20")), .delete(renewed)])
        #expect(writer.store.keys.map(\.name) == ["c"])
        #expect(machine.known.keys.map(\.name) == ["c"])
    }

    @Test("a watch that closes without any event backs off instead of spinning")
    func emptyWatchBacksOff() {
        let clock = TestClock()
        var machine = Self.watching([], clock: clock)
        machine.watchEnded(now: clock.now)
        #expect(machine.nextAction(now: clock.now) == .sleep(until: clock.now.advanced(by: .seconds(1))))
    }
}
