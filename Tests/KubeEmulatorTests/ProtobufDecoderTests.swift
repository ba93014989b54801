import Foundation
import Testing

@testable import KubeEmulator

/// The decoder on kinds the emulator does not serve yet (Services, PodDisruptionBudgets,
/// TokenRequests): hand-encoded bodies must decode to exactly the JSON kubectl itself writes for the
/// same objects (`kubectl create … --dry-run=client -o json`, pasted below).
@Suite("Protobuf decoder")
struct ProtobufDecoderTests {
    typealias Writer = ContractProtobufTests.Writer

    private func decode(apiVersion: String, kind: String, _ raw: [UInt8]) throws -> JSON {
        try ProtobufObjectDecoder().decode(ContractProtobufTests.envelope(apiVersion: apiVersion, kind: kind, raw: raw))
    }

    @Test("a headless Service with a named targetPort")
    func service() throws {
        let raw = Writer.message { service in
            service.field(
                1,
                Writer.message { meta in
                    meta.field(1, "web")
                    meta.field(
                        11,
                        Writer.message {
                            $0.field(1, "app")
                            $0.field(2, "web")
                        })
                })
            service.field(
                2,
                Writer.message { spec in
                    spec.field(
                        1,
                        Writer.message { port in
                            port.field(1, "80-http")
                            port.field(2, "TCP")
                            port.field(3, varint: 80)
                            port.field(
                                4,
                                Writer.message {
                                    $0.field(1, varint: 1)
                                    $0.field(3, "http")
                                })
                            port.field(5, varint: 0)
                        })
                    spec.field(
                        2,
                        Writer.message {
                            $0.field(1, "app")
                            $0.field(2, "web")
                        })
                    spec.field(3, "None")
                    spec.field(4, "ClusterIP")
                    spec.field(7, "")
                })
            service.field(3, Writer.message { $0.field(1, []) })
        }
        let expected = try JSON(
            parsing: #"""
                {"kind":"Service","apiVersion":"v1","metadata":{"name":"web","creationTimestamp":null,
                "labels":{"app":"web"}},"spec":{"ports":[{"name":"80-http","protocol":"TCP","port":80,
                "targetPort":"http"}],"selector":{"app":"web"},"clusterIP":"None","type":"ClusterIP"},
                "status":{"loadBalancer":{}}}
                """#)
        #expect(try decode(apiVersion: "v1", kind: "Service", raw) == expected)
    }

    @Test("a PodDisruptionBudget: pointer IntOrString, non-omitempty status counters")
    func podDisruptionBudget() throws {
        let raw = Writer.message { pdb in
            pdb.field(1, Writer.message { $0.field(1, "x") })
            pdb.field(
                2,
                Writer.message { spec in
                    spec.field(
                        1,
                        Writer.message {
                            $0.field(1, varint: 0)
                            $0.field(2, varint: 2)
                        })
                    spec.field(
                        2,
                        Writer.message { selector in
                            selector.field(
                                1,
                                Writer.message {
                                    $0.field(1, "app")
                                    $0.field(2, "web")
                                })
                        })
                })
        }
        let expected = try JSON(
            parsing: #"""
                {"kind":"PodDisruptionBudget","apiVersion":"policy/v1","metadata":{"name":"x",
                "creationTimestamp":null},"spec":{"minAvailable":2,"selector":{"matchLabels":{"app":"web"}}},
                "status":{"disruptionsAllowed":0,"currentHealthy":0,"desiredHealthy":0,"expectedPods":0}}
                """#)
        #expect(try decode(apiVersion: "policy/v1", kind: "PodDisruptionBudget", raw) == expected)
    }

    @Test("a TokenRequest: nil slice and pointer without omitempty are null")
    func tokenRequest() throws {
        let raw = Writer.message { request in
            request.field(1, [])
            request.field(2, Writer.message { $0.field(4, varint: 3600) })
        }
        let expected = try JSON(
            parsing: #"""
                {"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","metadata":{"creationTimestamp":null},
                "spec":{"audiences":null,"expirationSeconds":3600,"boundObjectRef":null},
                "status":{"token":"","expirationTimestamp":null}}
                """#)
        #expect(try decode(apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", raw) == expected)
    }

    @Test("a CRD's schema: JSONSchemaPropsOrBool, OrArray and JSON take their JSON forms")
    func customResourceDefinitionSchema() throws {
        let schema = Writer.message { root in
            root.field(5, "object")
            root.field(
                29,
                Writer.message { entry in
                    entry.field(1, "labels")
                    entry.field(
                        2,
                        Writer.message {
                            $0.field(5, "object")
                            $0.field(30, Writer.message { $0.field(1, varint: 1) })
                        })
                })
            root.field(
                29,
                Writer.message { entry in
                    entry.field(1, "tags")
                    entry.field(
                        2,
                        Writer.message { tags in
                            tags.field(5, "array")
                            tags.field(24, Writer.message { $0.field(1, Writer.message { $0.field(5, "string") }) })
                        })
                })
            root.field(8, Writer.message { $0.field(1, "{}") })
        }
        let raw = Writer.message { crd in
            crd.field(1, Writer.message { $0.field(1, "widgets.example.com") })
            crd.field(
                2,
                Writer.message { spec in
                    spec.field(1, "example.com")
                    spec.field(
                        7,
                        Writer.message { version in
                            version.field(1, "v1")
                            version.field(4, Writer.message { $0.field(1, schema) })
                        })
                })
        }
        let crd = try decode(apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", raw)
        let decoded = try #require(
            crd[path: ["spec", "versions"]]?.arrayValue?.first?[path: ["schema", "openAPIV3Schema"]])
        let expected = try JSON(
            parsing: #"""
                {"type":"object","default":{},"properties":{"labels":{"type":"object","additionalProperties":true},
                "tags":{"type":"array","items":{"type":"string"}}}}
                """#)
        #expect(decoded == expected)
    }

    @Test("Go text forms: RFC 3339 times and durations")
    func textForms() {
        #expect(GoTimeText.format(seconds: 0, micros: nil) == "1970-01-01T00:00:00Z")
        #expect(GoTimeText.format(seconds: 951_782_400, micros: 5) == "2000-02-29T00:00:00.000005Z")
        #expect(GoTimeText.format(seconds: -1, micros: nil) == "1969-12-31T23:59:59Z")
        #expect(GoDuration.format(nanoseconds: 0) == "0s")
        #expect(GoDuration.format(nanoseconds: 3_600_000_000_000) == "1h0m0s")
        #expect(GoDuration.format(nanoseconds: 90_500_000_000) == "1m30.5s")
        #expect(GoDuration.format(nanoseconds: 1_500_000) == "1.5ms")
        #expect(GoDuration.format(nanoseconds: -2_000) == "-2µs")
    }

    @Test("truncated, overlong and mistyped input is an error, never a crash")
    func malformed() {
        let inputs: [[UInt8]] = [
            [], [0x6b, 0x38, 0x73], [0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff],
            [0x6b, 0x38, 0x73, 0x00, 0x08] + Array(repeating: 0xff, count: 11),
            [0x6b, 0x38, 0x73, 0x00, 0x0f], [0x6b, 0x38, 0x73, 0x00, 0x0a, 0x02, 0x08, 0x01],
        ]
        for input in inputs {
            #expect(throws: ProtobufDecodingError.self) { try ProtobufObjectDecoder().decode(Data(input)) }
        }
    }
}
