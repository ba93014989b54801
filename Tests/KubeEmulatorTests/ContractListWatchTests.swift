import Foundation
import KubeEmulator
import Testing

/// LIST and WATCH (reference §3.10–3.11), over both fronts.
@Suite("Contract: list and watch")
struct ContractListWatchTests {
    static let selectorCases: [(String, [String])] = [
        ("app=shop", ["a", "b"]), ("app==shop", ["a", "b"]), ("app!=shop", ["c", "d"]),
        ("app in (shop,blog)", ["a", "b", "c"]), ("app notin (shop)", ["c", "d"]), ("tier", ["a"]),
        ("!tier", ["b", "c", "d"]), ("app=shop,tier=web", ["a"]),
    ]

    @Test("label selectors support =, ==, !=, in, notin, exists and !", arguments: Emulator.Front.allCases)
    func labelSelectors(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            _ = try await client.post(
                Fixture.configMaps, Fixture.configMap("a", labels: ["app": "shop", "tier": "web"]))
            _ = try await client.post(Fixture.configMaps, Fixture.configMap("b", labels: ["app": "shop"]))
            _ = try await client.post(Fixture.configMaps, Fixture.configMap("c", labels: ["app": "blog"]))
            _ = try await client.post(Fixture.configMaps, Fixture.configMap("d"))
            for (selector, expected) in Self.selectorCases {
                let encoded = selector.replacingOccurrences(of: " ", with: "+").replacingOccurrences(
                    of: "(", with: "%28"
                )
                .replacingOccurrences(of: ")", with: "%29").replacingOccurrences(of: ",", with: "%2C")
                .replacingOccurrences(of: "=", with: "%3D").replacingOccurrences(of: "!", with: "%21")
                let list = try await client.get(Fixture.configMaps + "?labelSelector=\(encoded)").json
                #expect(list["items"]?.arrayValue?.map(\.name) == expected, "selector \(selector)")
            }
            let bad = try await client.get(Fixture.configMaps + "?labelSelector=app%3D%3D%3Dx%20y")
            #expect(bad.status == 400)
        }
    }

    @Test("field selectors on metadata.name and namespace; others are 400", arguments: Emulator.Front.allCases)
    func fieldSelectors(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            _ = try await client.post(Fixture.configMaps, Fixture.configMap("a"))
            _ = try await client.post(Fixture.configMaps, Fixture.configMap("b"))
            let byName = try await client.get(Fixture.configMaps + "?fieldSelector=metadata.name%3Db").json
            #expect(byName["items"]?.arrayValue?.map(\.name) == ["b"])
            let notName = try await client.get(Fixture.configMaps + "?fieldSelector=metadata.name!%3Db").json
            #expect(notName["items"]?.arrayValue?.map(\.name) == ["a"])
            let bad = try await client.get(Fixture.configMaps + "?fieldSelector=spec.host%3Dx")
            #expect(bad.status == 400)
            #expect(bad.json["message"] == "field label not supported: spec.host")
        }
    }

    @Test("limit and continue page through a list in name order", arguments: Emulator.Front.allCases)
    func paging(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            for name in ["e", "a", "d", "b", "c"] {
                _ = try await client.post(Fixture.configMaps, Fixture.configMap(name))
            }
            var names: [String] = []
            var token = ""
            var pages = 0
            repeat {
                let page = try await client.get(
                    Fixture.configMaps + "?limit=2" + (token.isEmpty ? "" : "&continue=\(token)")
                ).json
                names += page["items"]?.arrayValue?.map(\.name) ?? []
                token =
                    page[path: ["metadata", "continue"]]?.stringValue?.addingPercentEncoding(
                        withAllowedCharacters: .alphanumerics) ?? ""
                pages += 1
            } while !token.isEmpty && pages < 10
            #expect(names == ["a", "b", "c", "d", "e"])
            #expect(pages == 3)
        }
    }

    @Test(
        "a watch from a resourceVersion replays only later changes, deletions included",
        arguments: Emulator.Front.allCases)
    func watchResume(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            _ = try await client.post(Fixture.configMaps, Fixture.configMap("before"))
            let list = try await client.get(Fixture.configMaps).json
            let listRV = try #require(list[path: ["metadata", "resourceVersion"]]?.stringValue)
            _ = try await client.post(Fixture.configMaps, Fixture.configMap("after"))
            _ = try await client.delete(Fixture.configMaps + "/before")
            var events = try await client.watch(Fixture.configMaps + "?watch=true&resourceVersion=\(listRV)")
            let added = try #require(try await events.next())
            let deleted = try #require(try await events.next())
            #expect(added["type"] == "ADDED" && added["object"]?.name == "after")
            #expect(deleted["type"] == "DELETED" && deleted["object"]?.name == "before")
            #expect(deleted[path: ["object", "kind"]] == "ConfigMap")
            let addedRV = Int(added["object"]?.resourceVersionString ?? "") ?? 0
            let deletedRV = Int(deleted["object"]?.resourceVersionString ?? "") ?? 0
            #expect(deletedRV > addedRV, "a tombstone carries the delete's resourceVersion")
        }
    }

    @Test("a watch without resourceVersion starts with the current state as ADDED", arguments: Emulator.Front.allCases)
    func watchInitialState(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            _ = try await client.post(Fixture.configMaps, Fixture.configMap("x"))
            var events = try await client.watch(Fixture.configMaps + "?watch=true")
            #expect(try await events.next(1) == ["ADDED x"])
            _ = try await client.patch(Fixture.configMaps + "/x", ["data": ["k": "v"]])
            #expect(try await events.next(1) == ["MODIFIED x"])
        }
    }

    @Test(
        "a watch from a compacted resourceVersion gets one ERROR 410 Expired and ends",
        arguments: Emulator.Front.allCases)
    func watchGone(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let created = try await client.post(Fixture.configMaps, Fixture.configMap("a")).json
            _ = try await client.patch(Fixture.configMaps + "/a", ["data": ["k": "v"]])
            await client.emulator.compactHistory()
            var events = try await client.watch(
                Fixture.configMaps + "?watch=true&resourceVersion=\(created.resourceVersionString)")
            let error = try #require(try await events.next())
            #expect(error["type"] == "ERROR")
            #expect(error[path: ["object", "code"]] == 410)
            #expect(error[path: ["object", "reason"]] == "Expired")
            #expect(try await events.next() == nil)
            let tooNew = try await client.get(Fixture.configMaps + "?resourceVersion=999999999999999999")
            #expect(tooNew.status == 410)
        }
    }

    @Test("bookmarks carry the current resourceVersion", arguments: Emulator.Front.allCases)
    func bookmarks(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let created = try await client.post(Fixture.configMaps, Fixture.configMap("a")).json
            var events = try await client.watch(
                Fixture.configMaps
                    + "?watch=true&allowWatchBookmarks=true&resourceVersion=\(created.resourceVersionString)")
            _ = try await client.post(Fixture.deployments, Fixture.deployment("web"))
            await client.emulator.sendBookmarksNow()
            let bookmark = try #require(try await events.next())
            #expect(bookmark["type"] == "BOOKMARK")
            #expect(bookmark[path: ["object", "kind"]] == "ConfigMap")
            let rv = Int(bookmark[path: ["object", "metadata", "resourceVersion"]]?.stringValue ?? "") ?? 0
            #expect(rv > Int(created.resourceVersionString)!)
        }
    }

    @Test("timeoutSeconds ends the watch stream", arguments: Emulator.Front.allCases)
    func watchTimeout(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            var events = try await client.watch(Fixture.configMaps + "?watch=true&timeoutSeconds=1&resourceVersion=0")
            #expect(try await events.next() == nil)
        }
    }

    @Test(
        "a selector watch gets DELETED when an object stops matching and ADDED when it starts",
        arguments: Emulator.Front.allCases)
    func selectorTransitions(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let created = try await client.post(Fixture.configMaps, Fixture.configMap("a", labels: ["shard": "one"]))
                .json
            var events = try await client.watch(
                Fixture.configMaps
                    + "?watch=true&labelSelector=shard%3Done&resourceVersion=\(created.resourceVersionString)")
            _ = try await client.patch(Fixture.configMaps + "/a", ["metadata": ["labels": ["shard": "two"]]])
            _ = try await client.patch(Fixture.configMaps + "/a", ["data": ["unseen": "x"]])
            _ = try await client.patch(Fixture.configMaps + "/a", ["metadata": ["labels": ["shard": "one"]]])
            let deleted = try #require(try await events.next())
            #expect(deleted["type"] == "DELETED")
            #expect(deleted[path: ["object", "metadata", "labels", "shard"]] == "one")
            let added = try #require(try await events.next())
            #expect(added["type"] == "ADDED")
            #expect(added[path: ["object", "data", "unseen"]] == "x")
        }
    }
}
