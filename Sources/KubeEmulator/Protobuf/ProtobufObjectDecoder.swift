import Foundation

/// Decodes a Kubernetes protobuf body (`application/vnd.kubernetes.protobuf`: the `k8s\0` magic, a
/// `runtime.Unknown` envelope, the kind's message) into the JSON value the same object has in JSON.
///
/// "The same JSON" follows Go's encoding/json over the decoded Go struct, as a real API server
/// would see it: an absent non-pointer scalar is its zero value, left out when `omitempty`; an
/// absent pointer or an empty slice or map is left out when `omitempty`, else `null`; a struct is
/// always written; Time, MicroTime, Duration, Quantity, IntOrString, RawExtension and FieldsV1
/// take their custom JSON forms; `[]byte` is base64.
struct ProtobufObjectDecoder: Sendable {
    typealias Failure = ProtobufDecodingError
    typealias Field = KubernetesSchemas.Field
    typealias Message = KubernetesSchemas.Message
    typealias FieldType = KubernetesSchemas.FieldType

    static let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]
    private static let maximumDepth = 64

    var schemas: KubernetesSchemas = .shared

    /// The object of a request body, with `apiVersion` and `kind` from the envelope.
    ///
    /// - Throws: ``ProtobufDecodingError``, with ``ProtobufDecodingError/unknownKind`` set when the
    ///   envelope names a kind the table does not describe.
    func decode(_ data: Data) throws(Failure) -> JSON {
        try decode(ArraySlice(data), depth: 0)
    }

    private func decode(_ bytes: ArraySlice<UInt8>, depth: Int) throws(Failure) -> JSON {
        guard bytes.starts(with: Self.magic) else {
            throw Failure(reason: "the body does not start with the Kubernetes protobuf magic number")
        }
        guard let unknown = schemas.message(KubernetesSchemas.unknownMessage),
            case .message(let typeMetaName) = unknown.field(named: "typeMeta")?.type,
            let typeMeta = schemas.message(typeMetaName)
        else { throw Failure(reason: "no runtime.Unknown in the schema table") }
        let envelope = try lastValues(bytes.dropFirst(Self.magic.count), unknown)
        let meta = try lastValues(try lengthDelimited(envelope["typeMeta"]) ?? [], typeMeta)
        let apiVersion = try string(meta["apiVersion"])
        let kind = try string(meta["kind"])
        let encoding = try string(envelope["contentEncoding"])
        guard encoding.isEmpty else { throw Failure(reason: "unsupported contentEncoding \(encoding)") }
        let parts = apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
        let (group, version) = parts.count == 2 ? (parts[0], parts[1]) : ("", apiVersion)
        guard let message = schemas.kind(group: group, version: version, kind: kind) else {
            var error = Failure(reason: "no protobuf schema for \(apiVersion), Kind=\(kind)")
            error.unknownKind = (apiVersion, kind)
            throw error
        }
        var object = try members(try lengthDelimited(envelope["raw"]) ?? [], message, depth: depth + 1)
        if !apiVersion.isEmpty { object["apiVersion"] = .string(apiVersion) }
        if !kind.isEmpty { object["kind"] = .string(kind) }
        return .object(object)
    }

    /// The last value of each field of a message, by field name (envelopes and special types).
    private func lastValues(_ bytes: ArraySlice<UInt8>, _ message: Message) throws(Failure) -> [String: WireValue] {
        var out: [String: WireValue] = [:]
        for (number, value) in try ProtobufWire.fields(bytes) {
            if let field = message.field(number: number) { out[field.name] = value }
        }
        return out
    }

    private func lengthDelimited(_ value: WireValue?) throws(Failure) -> ArraySlice<UInt8>? {
        switch value {
        case nil: return nil
        case .bytes(let bytes): return bytes
        default: throw Failure(reason: "expected a length-delimited field")
        }
    }

    private func string(_ value: WireValue?) throws(Failure) -> String {
        guard let bytes = try lengthDelimited(value) else { return "" }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func integer(_ value: WireValue?) throws(Failure) -> Int64 {
        switch value {
        case nil: return 0
        case .varint(let raw): return Int64(bitPattern: raw)
        default: throw Failure(reason: "expected a varint field")
        }
    }

    // MARK: Messages

    /// The JSON members of a message, as Go's encoding/json writes the decoded struct.
    private func members(_ bytes: ArraySlice<UInt8>, _ message: Message, depth: Int) throws(Failure) -> [String: JSON] {
        guard depth < Self.maximumDepth else { throw Failure(reason: "the object nests too deeply") }
        var values: [Int: [WireValue]] = [:]
        for (number, value) in try ProtobufWire.fields(bytes) where message.indexByNumber[number] != nil {
            values[number, default: []].append(value)
        }
        var out: [String: JSON] = [:]
        for field in message.fields {
            let raw = values[field.number] ?? []
            do throws(Failure) {
                if field.inline {
                    guard case .message(let name) = field.type, let inner = schemas.message(name) else { continue }
                    let embedded = try members(try lengthDelimited(raw.last) ?? [], inner, depth: depth + 1)
                    out.merge(embedded) { _, new in new }
                } else if let value = try fieldValue(field, raw, depth: depth) {
                    out[field.name] = value
                }
            } catch {
                throw error.within(field.name)
            }
        }
        return out
    }

    /// A field's JSON value, or nil when encoding/json would leave it out.
    private func fieldValue(_ field: Field, _ raw: [WireValue], depth: Int) throws(Failure) -> JSON? {
        // JSON is ExpressibleByNilLiteral: spell out "left out" (Optional.none) and "null".
        let absent: JSON? = field.omitEmpty ? Optional.none : JSON.null
        if let keyType = field.mapKey {
            var entries: [String: JSON] = [:]
            for entry in raw {
                guard let bytes = try lengthDelimited(entry) else { continue }
                var key: WireValue?
                var value: WireValue?
                for (number, item) in try ProtobufWire.fields(bytes) {
                    if number == 1 { key = item } else if number == 2 { value = item }
                }
                let name: String =
                    switch try element(key ?? zeroWire(keyType), type: keyType, depth: depth) {
                    case .string(let text): text
                    case .int(let number): String(number)
                    case let other: other.text
                    }
                entries[name] = try element(value ?? zeroWire(field.type), type: field.type, depth: depth)
            }
            return entries.isEmpty ? absent : .object(entries)
        }
        if field.repeated {
            let items = try repeatedValues(field, raw, depth: depth)
            return items.isEmpty ? absent : .array(items)
        }
        let last = raw.last
        switch field.type {
        case .message(let name):
            if let special = KubernetesSchemas.Special(rawValue: name) {
                if last == nil && field.pointer { return absent }
                return try specialValue(try lengthDelimited(last) ?? [], special, depth: depth)
            }
            guard let message = schemas.message(name) else { return absent }
            if message.isNamedList {
                let items = try namedList(try lengthDelimited(last) ?? [], message, depth: depth)
                return items.isEmpty ? absent : .array(items)
            }
            if last == nil && field.pointer { return absent }
            return .object(try members(try lengthDelimited(last) ?? [], message, depth: depth + 1))
        case .bytes:
            // Go []byte: nil is absent; an empty slice is also "empty" for omitempty.
            guard let bytes = try lengthDelimited(last) else { return absent }
            if bytes.isEmpty && field.omitEmpty { return Optional.none }
            return .string(Data(bytes).base64EncodedString())
        default:
            guard let last else {
                if field.pointer || field.omitEmpty { return absent }
                return zero(field.type)
            }
            let value = try element(last, type: field.type, depth: depth)
            if !field.pointer && field.omitEmpty && value == zero(field.type) { return Optional.none }
            return value
        }
    }

    fileprivate func repeatedValues(_ field: Field, _ raw: [WireValue], depth: Int) throws(Failure) -> [JSON] {
        var items: [JSON] = []
        for value in raw {
            if case .bytes(let bytes) = value, field.type.isPackable {
                for item in try ProtobufWire.packed(bytes, type: field.type) {
                    items.append(try element(item, type: field.type, depth: depth))
                }
            } else {
                items.append(try element(value, type: field.type, depth: depth))
            }
        }
        return items
    }

    /// One value of a field's type: a scalar, a message's object, or a special type's JSON form.
    fileprivate func element(_ value: WireValue, type: FieldType, depth: Int) throws(Failure) -> JSON {
        switch (type, value) {
        case (.string, .bytes(let bytes)): return .string(String(decoding: bytes, as: UTF8.self))
        case (.bytes, .bytes(let bytes)): return .string(Data(bytes).base64EncodedString())
        case (.bool, .varint(let raw)): return .bool(raw != 0)
        case (.int32, .varint(let raw)): return .int(Int(Int32(truncatingIfNeeded: raw)))
        case (.int64, .varint(let raw)): return .int(Int(Int64(bitPattern: raw)))
        case (.uint32, .varint(let raw)): return .int(Int(UInt32(truncatingIfNeeded: raw)))
        case (.uint64, .varint(let raw)): return .int(Int(truncatingIfNeeded: raw))
        case (.double, .fixed64(let raw)): return .double(Double(bitPattern: raw))
        case (.float, .fixed32(let raw)): return .double(Double(Float(bitPattern: raw)))
        case (.message(let name), .bytes(let bytes)):
            if let special = KubernetesSchemas.Special(rawValue: name) {
                return try specialValue(bytes, special, depth: depth)
            }
            guard let message = schemas.message(name) else { throw Failure(reason: "no schema for \(name)") }
            if message.isNamedList { return .array(try namedList(bytes, message, depth: depth)) }
            return .object(try members(bytes, message, depth: depth + 1))
        default:
            throw Failure(reason: "the wire type does not match \(type)")
        }
    }

    private func zeroWire(_ type: FieldType) -> WireValue {
        switch type {
        case .double: .fixed64(0)
        case .float: .fixed32(0)
        case .string, .bytes, .message: .bytes([])
        default: .varint(0)
        }
    }

    private func zero(_ type: FieldType) -> JSON {
        switch type {
        case .string, .bytes: .string("")
        case .bool: .bool(false)
        case .double, .float: .double(0)
        case .message: .emptyObject
        default: .int(0)
        }
    }

    /// The items of a Go named slice (`type ExtraValue []string`): the message's one repeated field.
    private func namedList(_ bytes: ArraySlice<UInt8>, _ message: Message, depth: Int) throws(Failure) -> [JSON] {
        guard let field = message.fields.first else { return [] }
        let raw = try ProtobufWire.fields(bytes).filter { $0.0 == field.number }.map(\.1)
        return try repeatedValues(field, raw, depth: depth)
    }

    // MARK: Special types

    private func specialValue(_ bytes: ArraySlice<UInt8>, _ special: KubernetesSchemas.Special, depth: Int)
        throws(Failure) -> JSON
    {
        guard let message = schemas.message(special.rawValue) else {
            throw Failure(reason: "no \(special.rawValue) in the schema table")
        }
        let fields = try lastValues(bytes, message)
        switch special {
        case .time, .microTime:
            // An empty message is the zero time, which encoding/json writes as null.
            guard !bytes.isEmpty else { return .null }
            let seconds = try integer(fields["seconds"])
            let micros = special == .microTime ? Int(try integer(fields["nanos"]) / 1000) : nil
            return .string(GoTimeText.format(seconds: seconds, micros: micros))
        case .duration:
            return .string(GoDuration.format(nanoseconds: try integer(fields["duration"])))
        case .quantity:
            let text = try string(fields["string"])
            return .string(text.isEmpty ? "0" : text)
        case .intOrString:
            if try integer(fields["type"]) == 1 { return .string(try string(fields["strVal"])) }
            return .int(Int(Int32(truncatingIfNeeded: try integer(fields["intVal"]))))
        case .schemaOrArray, .schemaOrBool, .schemaOrStringArray:
            return try schemaUnion(bytes, message, special, depth: depth)
        case .rawExtension, .fieldsV1, .anyJSON:
            guard let raw = try lengthDelimited(fields["raw"] ?? fields["Raw"]), !raw.isEmpty else { return .null }
            if raw.starts(with: Self.magic) { return try decode(raw, depth: depth + 1) }
            do {
                return try JSON(parsing: Data(raw))
            } catch {
                throw Failure(reason: "embedded JSON: \(error)")
            }
        }
    }
}

extension ProtobufObjectDecoder {
    /// The JSON of apiextensions' JSONSchemaPropsOrArray/OrBool/OrStringArray (their Go
    /// MarshalJSON): the array or string list when non-empty, else the schema, else `false`/`null`.
    fileprivate func schemaUnion(
        _ bytes: ArraySlice<UInt8>, _ message: Message, _ special: KubernetesSchemas.Special, depth: Int
    ) throws(Failure) -> JSON {
        var values: [String: [WireValue]] = [:]
        for (number, value) in try ProtobufWire.fields(bytes) {
            if let field = message.field(number: number) { values[field.name, default: []].append(value) }
        }
        var list: [JSON] = []
        for name in ["jSONSchemas", "property"] {
            guard let field = message.field(named: name) else { continue }
            list += try repeatedValues(field, values[name] ?? [], depth: depth)
        }
        if !list.isEmpty { return .array(list) }
        if let schema = values["schema"]?.last, let field = message.field(named: "schema") {
            return try element(schema, type: field.type, depth: depth)
        }
        if special == .schemaOrBool, let allows = values["allows"]?.last, case .varint(let raw) = allows {
            return .bool(raw != 0)
        }
        return special == .schemaOrBool ? .bool(false) : .null
    }
}

extension KubernetesSchemas.FieldType {
    /// Numeric and boolean repeated fields may arrive packed in one length-delimited value.
    var isPackable: Bool {
        switch self {
        case .string, .bytes, .message: false
        default: true
        }
    }
}
