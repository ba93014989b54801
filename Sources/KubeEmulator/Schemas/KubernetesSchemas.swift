/// The message layouts of the Kubernetes 1.32 kinds the emulator knows, read once from the table
/// `Scripts/derive-k8s-schemas.py` derived from upstream `generated.proto` and Go struct tags
/// (``KubernetesSchemas/table``). The protobuf decoder and the OpenAPI v3 documents both use it.
struct KubernetesSchemas: Sendable {
    /// A field's protobuf type: a scalar or a message (by full name).
    enum FieldType: Sendable, Hashable {
        case string, bool, int32, int64, uint32, uint64, double, float, bytes
        case message(String)

        init(_ token: Substring, package: String) {
            switch token {
            case "string": self = .string
            case "bool": self = .bool
            case "int32": self = .int32
            case "int64": self = .int64
            case "uint32": self = .uint32
            case "uint64": self = .uint64
            case "double": self = .double
            case "float": self = .float
            case "bytes": self = .bytes
            default: self = .message(token.contains(".") ? String(token) : "\(package).\(token)")
            }
        }
    }

    struct Field: Sendable {
        var number: Int
        /// The JSON name, or the proto name of an embedded struct (whose fields JSON inlines) and of
        /// a field JSON does not name.
        var name: String
        /// The element type of a repeated field, the value type of a map.
        var type: FieldType
        /// The key type of a map field.
        var mapKey: FieldType?
        var repeated = false
        /// The Go field is a pointer: absent is nil, not the zero value.
        var pointer = false
        var omitEmpty = false
        var inline = false
        var required = false
        var patchStrategy: String?
        var patchMergeKey: String?
        var listType: String?
        var listMapKeys: [String] = []
        var mapType: String?
    }

    struct Message: Sendable {
        var fullName: String
        var name: String
        var package: String
        /// Embeds TypeMeta: a top-level kind (or list) with `apiVersion` and `kind`.
        var embedsTypeMeta = false
        /// A Go named slice (`type Verbs []string`): on the wire a message of one repeated field, in
        /// JSON that field's array.
        var isNamedList = false
        var fields: [Field] = []
        var indexByNumber: [Int: Int] = [:]

        func field(number: Int) -> Field? { indexByNumber[number].map { fields[$0] } }
        func field(named name: String) -> Field? { fields.first { $0.name == name } }
    }

    struct Package: Sendable {
        var name: String
        /// nil for packages of no API group (runtime, intstr, resource); `""` for the core group.
        var group: String?
        var version: String
    }

    private(set) var messages: [String: Message] = [:]
    private(set) var packages: [Package] = []

    /// The table of the build, parsed on first use.
    static let shared = KubernetesSchemas(table: KubernetesSchemas.table)

    /// A digest of the table, so OpenAPI hashes change when it is re-derived.
    static let fingerprint = TableHash.hex(KubernetesSchemas.table)

    init(table: String) {
        var package = Package(name: "", group: nil, version: "")
        var current: Message?
        func flush() {
            if let message = current { messages[message.fullName] = message }
            current = nil
        }
        for line in table.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard let tag = parts.first else { continue }
            switch tag {
            case "P" where parts.count == 4:
                flush()
                let group: String? = parts[2] == "-" ? nil : parts[2] == "core" ? "" : String(parts[2])
                package = Package(name: String(parts[1]), group: group, version: String(parts[3]))
                packages.append(package)
            case "M" where parts.count == 3:
                flush()
                let name = String(parts[1])
                var message = Message(fullName: "\(package.name).\(name)", name: name, package: package.name)
                message.embedsTypeMeta = parts[2].contains("T")
                message.isNamedList = parts[2].contains("W")
                current = message
            case "F" where parts.count >= 5:
                guard let number = Int(parts[1]) else { continue }
                let typeToken = parts[3]
                var field: Field
                if typeToken.hasPrefix("map:") {
                    let pieces = typeToken.split(separator: ":")
                    guard pieces.count == 3 else { continue }
                    field = Field(
                        number: number, name: String(parts[2]), type: FieldType(pieces[2], package: package.name),
                        mapKey: FieldType(pieces[1], package: package.name))
                } else {
                    field = Field(
                        number: number, name: String(parts[2]), type: FieldType(typeToken, package: package.name))
                }
                let flags = parts[4]
                field.repeated = flags.contains("r")
                field.pointer = flags.contains("p")
                field.omitEmpty = flags.contains("o")
                field.inline = flags.contains("i")
                field.required = flags.contains("q")
                for extra in parts.dropFirst(5) {
                    let pair = extra.split(separator: "=", maxSplits: 1)
                    guard pair.count == 2 else { continue }
                    let value = String(pair[1])
                    switch pair[0] {
                    case "ps": field.patchStrategy = value
                    case "pk": field.patchMergeKey = value
                    case "lt": field.listType = value
                    case "lk": field.listMapKeys = value.split(separator: ",").map(String.init)
                    case "mt": field.mapType = value
                    default: break
                    }
                }
                guard var message = current else { continue }
                message.indexByNumber[number] = message.fields.count
                message.fields.append(field)
                current = message
            default:
                continue
            }
        }
        flush()
    }

    func message(_ fullName: String) -> Message? { messages[fullName] }

    /// The message of a top-level kind of an API group/version (`""`, `v1`, `Namespace`).
    func kind(group: String, version: String, kind: String) -> Message? {
        for package in packages where package.group == group && package.version == version {
            if let message = messages["\(package.name).\(kind)"], message.embedsTypeMeta { return message }
        }
        return nil
    }

    /// The API group/version of a package, if it is one.
    func package(named name: String) -> Package? { packages.first { $0.name == name } }
}

extension KubernetesSchemas {
    /// Types whose wire form is a message but whose JSON is a scalar (custom Go JSON marshalling).
    enum Special: String, Sendable {
        case time = "k8s.io.apimachinery.pkg.apis.meta.v1.Time"
        case microTime = "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime"
        case duration = "k8s.io.apimachinery.pkg.apis.meta.v1.Duration"
        case fieldsV1 = "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1"
        case quantity = "k8s.io.apimachinery.pkg.api.resource.Quantity"
        case intOrString = "k8s.io.apimachinery.pkg.util.intstr.IntOrString"
        case rawExtension = "k8s.io.apimachinery.pkg.runtime.RawExtension"
        case anyJSON = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSON"
        case schemaOrArray = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray"
        case schemaOrBool = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool"
        case schemaOrStringArray =
            "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray"
    }

    static let unknownMessage = "k8s.io.apimachinery.pkg.runtime.Unknown"

    /// The OpenAPI component name upstream gives a message (`io.k8s.api.core.v1.Pod`,
    /// `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition`).
    static func openAPIName(_ fullName: String) -> String {
        guard fullName.hasPrefix("k8s.io.") else { return fullName }
        return "io.k8s." + String(fullName.dropFirst("k8s.io.".count).map { $0 == "_" ? "-" : $0 })
    }
}
