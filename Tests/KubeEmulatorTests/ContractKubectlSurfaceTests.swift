import KubeEmulator
import Testing
import Transport

/// What kubectl needs beyond the operator (reference §3.2–3.4, §3.12), over both fronts.
@Suite("Contract: kubectl surface")
struct ContractKubectlSurfaceTests {
    static let tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
    static let aggregatedAccept =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"

    @Test("/version reports minor 32 for the kubectl dispatcher", arguments: Emulator.Front.allCases)
    func version(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let version = try await client.get("/version?timeout=5s").json
            #expect(version["major"] == "1")
            #expect(version["minor"] == "32")
        }
    }

    @Test(
        "aggregated discovery is chosen by Accept and answered with its Content-Type",
        arguments: Emulator.Front.allCases)
    func aggregatedDiscovery(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let apis = try await client.get("/apis?timeout=32s", accept: Self.aggregatedAccept)
            #expect(apis.headers["Content-Type"]?.contains("as=APIGroupDiscoveryList") == true)
            let apps = apis.json["items"]?.arrayValue?.first { $0[path: ["metadata", "name"]] == "apps" }
            let resources = apps?["versions"]?.arrayValue?.first?["resources"]?.arrayValue ?? []
            let statefulSets = resources.first { $0["resource"] == "statefulsets" }
            #expect(statefulSets?["shortNames"] == ["sts"])
            let scale = statefulSets?["subresources"]?.arrayValue?.first { $0["subresource"] == "scale" }
            #expect(scale?["responseKind"] == ["group": "autoscaling", "version": "v1", "kind": "Scale"])
            let legacy = try await client.get("/apis").json
            #expect(legacy["kind"] == "APIGroupList")
            let core = try await client.get("/api", accept: Self.aggregatedAccept).json
            #expect(core["items"]?.arrayValue?.count == 1)
        }
    }

    @Test("the minimal OpenAPI v3 names every group/version and a PATCH per kind", arguments: Emulator.Front.allCases)
    func openAPI(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let root = try await client.get("/openapi/v3").json
            let url = try #require(root[path: ["paths", "apis/apps/v1", "serverRelativeURL"]]?.stringValue)
            let document = try await client.get(url).json
            let patch = document[path: ["paths", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}", "patch"]]
            #expect(patch?["x-kubernetes-group-version-kind"]?["kind"] == "Deployment")
        }
    }

    @Test("Tables carry the CRD's printer columns and row metadata", arguments: Emulator.Front.allCases)
    func tables(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            _ = try await client.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Fixture.widgetCRD)
            var widget = Fixture.widget("w", color: "blue")
            widget[path: ["metadata", "labels"]] = ["app": "x"]
            _ = try await client.post(Fixture.widgets, widget)
            let table = try await client.get(Fixture.widgets + "?limit=500", accept: Self.tableAccept).json
            #expect(table["kind"] == "Table")
            let columns = table["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(columns == ["Name", "Color", "Replicas", "Age"])
            let row = try #require(table["rows"]?.arrayValue?.first)
            #expect(row["cells"]?.arrayValue?.prefix(3).map { $0 } == ["w", "blue", 1])
            #expect(row[path: ["object", "metadata", "namespace"]] == "default")
            #expect(row[path: ["object", "metadata", "labels", "app"]] == "x")
            #expect(table[path: ["metadata", "resourceVersion"]]?.stringValue != nil)
        }
    }

    @Test("a Table watch sends Table events", arguments: Emulator.Front.allCases)
    func tableWatch(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let list = try await client.get(Fixture.configMaps, accept: Self.tableAccept).json
            let rv = list[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
            var events = try await client.watch(
                Fixture.configMaps + "?watch=true&resourceVersion=\(rv)", accept: Self.tableAccept)
            _ = try await client.post(Fixture.configMaps, Fixture.configMap("new", data: ["a": "1"]))
            let event = try #require(try await events.next())
            #expect(event["type"] == "ADDED")
            #expect(event[path: ["object", "kind"]] == "Table")
            #expect(event[path: ["object", "rows"]]?.arrayValue?.first?["cells"]?.arrayValue?.first == "new")
        }
    }

    @Test("a JSON body labelled protobuf answers 400, CBOR 415", arguments: Emulator.Front.allCases)
    func bodyContentTypes(front: Emulator.Front) async throws {
        try await withEmulator(front) { client in
            let protobuf = try await client.request(
                .post, Fixture.configMaps, body: Fixture.configMap("p"),
                contentType: "application/vnd.kubernetes.protobuf")
            #expect(protobuf.status == 400)
            let cbor = try await client.request(
                .post, Fixture.configMaps, body: Fixture.configMap("p"), contentType: "application/cbor")
            #expect(cbor.status == 415)
        }
    }
}
