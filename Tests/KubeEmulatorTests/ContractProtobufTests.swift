import Foundation
import KubeEmulator
import Testing
import Transport

/// Protobuf request bodies, hand-encoded here (an oracle independent of the emulator's derived
/// table): a built-in kind decodes and is stored as its JSON would be; a custom resource keeps the
/// clear 415; a body that does not decode is a 400.
@Suite("Contract: protobuf request bodies")
struct ContractProtobufTests {
    /// Minimal protobuf writer: length-delimited fields and varints.
    struct Writer {
        var bytes: [UInt8] = []

        mutating func varint(_ value: UInt64) {
            var value = value
            while value >= 0x80 {
                bytes.append(UInt8(value & 0x7f) | 0x80)
                value >>= 7
            }
            bytes.append(UInt8(value))
        }

        mutating func field(_ number: Int, _ payload: [UInt8]) {
            varint(UInt64(number << 3 | 2))
            varint(UInt64(payload.count))
            bytes += payload
        }

        mutating func field(_ number: Int, _ text: String) { field(number, Array(text.utf8)) }

        mutating func field(_ number: Int, varint value: UInt64) {
            varint(UInt64(number << 3))
            varint(value)
        }

        static func message(_ build: (inout Writer) -> Void) -> [UInt8] {
            var writer = Writer()
            build(&writer)
            return writer.bytes
        }
    }

    /// `k8s\0` + runtime.Unknown{typeMeta{apiVersion, kind}, raw}.
    static func envelope(apiVersion: String, kind: String, raw: [UInt8]) -> Data {
        let unknown = Writer.message { unknown in
            unknown.field(
                1,
                Writer.message {
                    $0.field(1, apiVersion)
                    $0.field(2, kind)
                })
            unknown.field(2, raw)
        }
        return Data([0x6b, 0x38, 0x73, 0x00] + unknown)
    }

    private func post(_ client: Client, _ path: String, _ body: Data) async throws -> (Int, JSON) {
        var headers: HTTPHeaders = [
            "Content-Type": "application/vnd.kubernetes.protobuf", "Accept": "application/json",
        ]
        if let token = client.token { headers["Authorization"] = "Bearer \(token)" }
        let response = try await client.transport.send(
            HTTPRequest(method: .post, url: client.baseURL + path, headers: headers, body: body))
        return (response.status, try JSON(parsing: response.body))
    }

    @Test("a ConfigMap in protobuf is stored as its JSON is", arguments: Emulator.Front.allCases)
    func configMap(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            // ConfigMap{metadata{name, labels{app: web}}, data{mode: fast}, binaryData{blob: 0x00ff}}
            let raw = Writer.message { map in
                map.field(
                    1,
                    Writer.message { meta in
                        meta.field(1, "pb")
                        meta.field(
                            11,
                            Writer.message {
                                $0.field(1, "app")
                                $0.field(2, "web")
                            })
                    })
                map.field(
                    2,
                    Writer.message {
                        $0.field(1, "mode")
                        $0.field(2, "fast")
                    })
                map.field(
                    3,
                    Writer.message {
                        $0.field(1, "blob")
                        $0.field(2, [0x00, 0xff])
                    })
            }
            let (status, created) = try await post(
                client, Fixture.configMaps, Self.envelope(apiVersion: "v1", kind: "ConfigMap", raw: raw))
            #expect(status == 201, "\(created.text)")
            #expect(created["data"] == ["mode": "fast"])
            #expect(created["binaryData"] == ["blob": "AP8="])
            #expect(created[path: ["metadata", "labels"]] == ["app": "web"])
            #expect(created["kind"] == "ConfigMap" && created["apiVersion"] == "v1")

            let twin = try await client.post(
                Fixture.configMaps,
                [
                    "apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": ["name": "json", "labels": ["app": "web"], "creationTimestamp": nil],
                    "data": ["mode": "fast"], "binaryData": ["blob": "AP8="],
                ])
            #expect(twin.status == 201)
            var (left, right) = (created, twin.json)
            for key in ["name", "uid", "resourceVersion", "creationTimestamp"] {
                left[path: ["metadata", key]] = nil
                right[path: ["metadata", key]] = nil
            }
            #expect(left == right)
        }
    }

    @Test("a Lease's MicroTime and an int32 pointer decode", arguments: Emulator.Front.allCases)
    func lease(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            // Lease{metadata{name}, spec{holderIdentity, leaseDurationSeconds 15, renewTime{seconds, nanos}}}
            let renew = Writer.message { time in
                time.field(1, varint: 1_796_397_126)
                time.field(2, varint: 123_456_789)
            }
            let raw = Writer.message { lease in
                lease.field(1, Writer.message { $0.field(1, "leader") })
                lease.field(
                    2,
                    Writer.message { spec in
                        spec.field(1, "pod-a")
                        spec.field(2, varint: 15)
                        spec.field(4, renew)
                    })
            }
            let (status, created) = try await post(
                client, "/apis/coordination.k8s.io/v1/namespaces/default/leases",
                Self.envelope(apiVersion: "coordination.k8s.io/v1", kind: "Lease", raw: raw))
            #expect(status == 201, "\(created.text)")
            #expect(
                created["spec"]
                    == [
                        "holderIdentity": "pod-a", "leaseDurationSeconds": 15,
                        "renewTime": "2026-12-04T15:12:06.123456Z",
                    ])
        }
    }

    @Test("a custom resource in protobuf answers 415, a broken body 400", arguments: Emulator.Front.allCases)
    func refusals(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            _ = try await client.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Fixture.widgetCRD)
            let widget = Self.envelope(
                apiVersion: "example.com/v1", kind: "Widget",
                raw: Writer.message { $0.field(1, Writer.message { $0.field(1, "w") }) })
            let (status, reply) = try await post(client, Fixture.widgets, widget)
            #expect(status == 415)
            #expect(reply["reason"] == "UnsupportedMediaType")
            #expect(reply["message"]?.stringValue?.contains("application/json") == true)

            var truncated = Self.envelope(apiVersion: "v1", kind: "ConfigMap", raw: [0x0a, 0x05, 0x0a])
            truncated.removeLast()
            let (broken, status400) = try await post(client, Fixture.configMaps, truncated)
            #expect(broken == 400)
            #expect(status400["reason"] == "BadRequest")
            let (notProtobuf, _) = try await post(client, Fixture.configMaps, Data(#"{"kind":"ConfigMap"}"#.utf8))
            #expect(notProtobuf == 400)
        }
    }
}
