import KubeEmulator
import Testing
import Transport

/// The emulator counts the requests it serves, per identity, verb and resource (what benchmarks report
/// as API load at the server).
@Suite("Request counter")
struct RequestCounterTests {
    @Test("every served request is counted once by identity, verb and resource", arguments: Emulator.Front.allCases)
    func countsServedRequests(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let before = client.emulator.requests.snapshot()
            _ = try await client.post(Fixture.configMaps, Fixture.configMap("one"))
            _ = try await client.get(Fixture.configMaps + "/one")
            _ = try await client.get(Fixture.configMaps)
            _ = try await client.patch(Fixture.configMaps + "/one", ["data": ["k": "v"]])
            _ = try await client.get(Fixture.configMaps + "/missing")
            let counts = client.emulator.requests.snapshot().subtracting(before)
            let admin = "system:admin"
            #expect(counts[.init(identity: admin, verb: "create", resource: "configmaps")] == 1)
            #expect(counts[.init(identity: admin, verb: "get", resource: "configmaps")] == 2)
            #expect(counts[.init(identity: admin, verb: "list", resource: "configmaps")] == 1)
            #expect(counts[.init(identity: admin, verb: "patch", resource: "configmaps")] == 1)
            #expect(counts.total { $0.isRead } == 3)
            #expect(counts.total { !$0.isRead } == 2)
        }
    }

    @Test("a ServiceAccount's requests are counted under its own name, apart from the admin's")
    func countsPerIdentity() async throws {
        try await withEmulator(.inProcess) { admin in
            let token = await admin.emulator.issueToken(serviceAccount: "default", namespace: "default")
            let account = admin.with(token: token)
            _ = try await account.get(Fixture.configMaps)
            _ = try await admin.get(Fixture.configMaps)
            let counts = admin.emulator.requests.snapshot()
            let listsByAccount = counts.total { $0.verb == "list" && $0.identity.hasPrefix("system:serviceaccount:") }
            #expect(listsByAccount == 1)
            #expect(counts[.init(identity: "system:admin", verb: "list", resource: "configmaps")] == 1)
        }
    }
}
