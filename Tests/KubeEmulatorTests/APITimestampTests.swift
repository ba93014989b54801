import KubeEmulator
import Testing

/// Timestamps of built-in kinds are decoded as kube-apiserver decodes them (Go's `time.RFC3339` for
/// `metav1.Time`, `RFC3339Micro` for `metav1.MicroTime`), over both fronts.
@Suite("Timestamps read as a real API server reads them")
struct APITimestampTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var input: JSON
        /// The stored form, or nil for 400 BadRequest.
        var stored: String?
        var testDescription: String { input.text }
    }

    /// `metav1.Time` (an Event's `firstTimestamp`): any fraction width, truncated to the second; numeric
    /// offsets normalised to UTC.
    static let times: [Case] = [
        Case(input: "2026-12-04T15:12:06Z", stored: "2026-12-04T15:12:06Z"),
        Case(input: "2026-12-04T15:12:06.123456789Z", stored: "2026-12-04T15:12:06Z"),
        Case(input: "2026-12-04T15:12:06.9+00:00", stored: "2026-12-04T15:12:06Z"),
        Case(input: "2026-12-04T15:12:06,5Z", stored: "2026-12-04T15:12:06Z"),
        Case(input: "2026-12-04T00:30:00+02:00", stored: "2026-12-03T22:30:00Z"),
        Case(input: "2026-12-31T23:30:00-01:00", stored: "2027-01-01T00:30:00Z"),
        Case(input: "2024-02-29T12:00:00Z", stored: "2024-02-29T12:00:00Z"),
        Case(input: "2026-02-29T12:00:00Z", stored: nil),
        Case(input: "2026-12-04 15:12:06Z", stored: nil),
        Case(input: "2026-12-04T15:12:06", stored: nil),
        Case(input: "2026-12-04T15:12:06+0100", stored: nil),
        Case(input: "2026-12-04T24:00:00Z", stored: nil),
        Case(input: "2026-12-04T15:12:06.Z", stored: nil),
        Case(input: "2026-12-04t15:12:06z", stored: nil),
        Case(input: "yesterday", stored: nil),
        Case(input: "", stored: nil),
        Case(input: 1_764_860_000, stored: nil),
    ]

    /// `metav1.MicroTime` (a Lease's `renewTime`): exactly six fractional digits.
    static let microTimes: [Case] = [
        Case(input: "2026-12-04T15:12:06.123456+00:00", stored: "2026-12-04T15:12:06.123456Z"),
        Case(input: "2026-12-04T15:12:06.123456Z", stored: "2026-12-04T15:12:06.123456Z"),
        Case(input: "2026-12-04T15:12:06.000001-05:30", stored: "2026-12-04T20:42:06.000001Z"),
        Case(input: "2026-12-04T15:12:06,123456Z", stored: "2026-12-04T15:12:06.123456Z"),
        Case(input: "2026-12-04T15:12:06.123Z", stored: nil),
        Case(input: "2026-12-04T15:12:06Z", stored: nil),
        Case(input: "2026-12-04T15:12:06.1234567Z", stored: nil),
        Case(input: "2026-12-04T15:12:06.123456", stored: nil),
        Case(input: "tomorrow", stored: nil),
    ]

    @Test("metav1.Time fields", arguments: Emulator.Front.allCases, times)
    func time(front: Emulator.Front, example: Case) async throws {
        try await withEmulator(front) { client in
            let event: JSON = [
                "apiVersion": "v1", "kind": "Event", "metadata": ["name": "e"],
                "involvedObject": ["kind": "Pod", "name": "p", "namespace": "default"], "reason": "Test",
                "message": "m", "firstTimestamp": example.input, "lastTimestamp": "2026-12-04T15:12:06Z",
            ]
            let reply = try await client.post("/api/v1/namespaces/default/events", event)
            if let stored = example.stored {
                #expect(reply.status == 201, "\(reply.json.text)")
                #expect(reply.json["firstTimestamp"] == .string(stored))
                #expect(
                    try await client.get("/api/v1/namespaces/default/events/e").json["firstTimestamp"]
                        == .string(stored))
            } else {
                #expect(reply.status == 400)
                #expect(reply.json["reason"] == "BadRequest")
                #expect(try await client.get("/api/v1/namespaces/default/events/e").status == 404)
            }
        }
    }

    @Test("metav1.MicroTime fields, on create and on patch", arguments: Emulator.Front.allCases, microTimes)
    func microTime(front: Emulator.Front, example: Case) async throws {
        try await withEmulator(front) { client in
            let leases = "/apis/coordination.k8s.io/v1/namespaces/default/leases"
            let lease: JSON = [
                "apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": "l"],
                "spec": ["holderIdentity": "a", "renewTime": example.input],
            ]
            let created = try await client.post(leases, lease)
            let patched = try await client.post(leases, ["metadata": ["name": "p"], "spec": ["holderIdentity": "a"]])
            #expect(patched.status == 201)
            let patch = try await client.patch("\(leases)/p", ["spec": ["renewTime": example.input]])
            if let stored = example.stored {
                #expect(created.status == 201, "\(created.json.text)")
                #expect(created.json[path: ["spec", "renewTime"]] == .string(stored))
                #expect(patch.status == 200)
                #expect(patch.json[path: ["spec", "renewTime"]] == .string(stored))
            } else {
                #expect(created.status == 400)
                #expect(created.json["reason"] == "BadRequest")
                #expect(patch.status == 400)
                #expect(try await client.get("\(leases)/p").json[path: ["spec", "renewTime"]] == nil)
            }
        }
    }

    @Test("status writes are decoded too: a Deployment condition time with an offset is stored in UTC")
    func statusTimes() async throws {
        var configuration = Emulator.Configuration()
        configuration.controllers = .none
        try await withEmulator(.inProcess, configuration: configuration) { client in
            _ = try await client.post(Fixture.deployments, Fixture.deployment("web"))
            let condition: JSON = [
                "type": "Available", "status": "True", "lastUpdateTime": "2026-12-04T16:00:00.5+01:00",
                "lastTransitionTime": "2026-12-04T15:00:00Z",
            ]
            let reply = try await client.patch(
                "\(Fixture.deployments)/web/status", ["status": ["conditions": [condition]]])
            #expect(reply.status == 200)
            #expect(
                reply.json[path: ["status", "conditions"]]?.arrayValue?.first?["lastUpdateTime"]
                    == "2026-12-04T15:00:00Z")
            let bad = try await client.patch(
                "\(Fixture.deployments)/web/status",
                ["status": ["conditions": [["type": "Available", "status": "True", "lastUpdateTime": "soon"]]]])
            #expect(bad.status == 400)
        }
    }
}
