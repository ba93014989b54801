import KubeEmulator
import Testing

/// CustomResourceDefinitions (reference §3.13), over both fronts.
@Suite("Contract: CRDs")
struct ContractCRDTests {
    static let crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"

    @Test("creating a CRD serves its resource at once and marks it Established", arguments: Emulator.Front.allCases)
    func servedAtOnce(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            #expect(try await client.get(Fixture.widgets).status == 404)
            #expect(try await client.post(Self.crds, Fixture.widgetCRD).status == 201)
            let list = try await client.get(Fixture.widgets)
            #expect(list.status == 200)
            #expect(list.json["kind"] == "WidgetList")
            let crd = try await client.get(Self.crds + "/widgets.example.com").json
            let established = crd[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"] == "Established" }
            #expect(established?["status"] == "True")
            #expect(crd[path: ["status", "acceptedNames", "listKind"]] == "WidgetList")
            let discovery = try await client.get("/apis/example.com/v1").json
            let names = discovery["resources"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(names == ["widgets", "widgets/status", "widgets/scale"])
        }
    }

    @Test("schema validation answers 422 Invalid with a cause per field", arguments: Emulator.Front.allCases)
    func validation(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            _ = try await client.post(Self.crds, Fixture.widgetCRD)
            let bad = try await client.post(
                Fixture.widgets, Fixture.widget("w", color: "purple", extra: ["replicas": -1]))
            #expect(bad.status == 422)
            #expect(bad.json["reason"] == "Invalid")
            let causes = bad.json[path: ["details", "causes"]]?.arrayValue ?? []
            #expect(Set(causes.compactMap { $0["field"]?.stringValue }) == ["spec.color", "spec.replicas"])
            #expect(causes.contains { $0["reason"] == "FieldValueNotSupported" })
            var missing = Fixture.widget("m")
            missing["spec"] = ["replicas": "three"]
            let missingReply = try await client.post(Fixture.widgets, missing)
            let missingCauses = missingReply.json[path: ["details", "causes"]]?.arrayValue ?? []
            #expect(missingCauses.contains { $0["reason"] == "FieldValueRequired" && $0["field"] == "spec.color" })
            #expect(missingCauses.contains { $0["field"] == "spec.replicas" })
            #expect(bad.json["message"]?.stringValue?.hasPrefix("Widget.example.com \"w\" is invalid: [") == true)
        }
    }

    @Test("defaults are applied and unknown fields pruned", arguments: Emulator.Front.allCases)
    func defaultingAndPruning(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            _ = try await client.post(Self.crds, Fixture.widgetCRD)
            let created = try await client.post(
                Fixture.widgets, Fixture.widget("w", extra: ["unknown": "gone", "labels": ["a": "b"]])
            ).json
            #expect(created[path: ["spec", "replicas"]] == 1)
            #expect(created[path: ["spec", "unknown"]] == nil)
            #expect(created[path: ["spec", "labels", "a"]] == "b")
        }
    }

    @Test("fieldValidation=Strict rejects fields the schema does not declare", arguments: Emulator.Front.allCases)
    func strictFieldValidation(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            _ = try await client.post(Self.crds, Fixture.widgetCRD)
            let reply = try await client.post(
                Fixture.widgets + "?fieldValidation=Strict", Fixture.widget("w", extra: ["unknown": "x"]))
            #expect(reply.status == 400)
            #expect(
                reply.json["message"]?.stringValue?.hasSuffix("strict decoding error: unknown field \"spec.unknown\"")
                    == true)
            #expect(
                try await client.post(Fixture.widgets + "?fieldValidation=Strict", Fixture.widget("w")).status == 201)
        }
    }

    @Test("deleting a CRD removes its objects and stops serving it", arguments: Emulator.Front.allCases)
    func deletion(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            _ = try await client.post(Self.crds, Fixture.widgetCRD)
            _ = try await client.post(Fixture.widgets, Fixture.widget("w"))
            #expect(try await client.delete(Self.crds + "/widgets.example.com").status == 200)
            #expect(try await client.get(Fixture.widgets).status == 404)
            #expect(try await client.post(Self.crds, Fixture.widgetCRD).status == 201)
            #expect(try await client.get(Fixture.widgets).json["items"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test("an unusable CRD is rejected with 422", arguments: Emulator.Front.allCases)
    func invalidCRD(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            var crd = Fixture.widgetCRD
            crd[path: ["metadata", "name"]] = "wrong.example.com"
            let reply = try await client.post(Self.crds, crd)
            #expect(reply.status == 422)
        }
    }
}
