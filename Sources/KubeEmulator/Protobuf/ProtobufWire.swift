/// Why a protobuf body does not decode: malformed (a 400), or a kind the table does not describe
/// (a 415, as before protobuf bodies were accepted).
struct ProtobufDecodingError: Error, Sendable, CustomStringConvertible {
    var reason: String
    /// The envelope's `apiVersion` and `kind` when the kind is unknown.
    var unknownKind: (apiVersion: String, kind: String)?

    init(reason: String) { self.reason = reason }

    var description: String { reason }

    /// The same error, its reason prefixed with where it happened (`spec.template`).
    func within(_ path: String) -> ProtobufDecodingError {
        var error = self
        if unknownKind == nil { error.reason = "\(path): \(reason)" }
        return error
    }
}

/// One field of a protobuf message as it appears on the wire.
enum WireValue: Sendable {
    case varint(UInt64)
    case fixed64(UInt64)
    case fixed32(UInt32)
    case bytes(ArraySlice<UInt8>)
}

/// The protobuf wire format (varints, tags, length-delimited fields) over a byte slice.
enum ProtobufWire {
    /// The fields of one message, in wire order, by field number.
    static func fields(_ bytes: ArraySlice<UInt8>) throws(ProtobufDecodingError) -> [(Int, WireValue)] {
        var index = bytes.startIndex
        var out: [(Int, WireValue)] = []
        while index < bytes.endIndex {
            let key = try varint(bytes, &index)
            let number = Int(truncatingIfNeeded: key >> 3)
            guard number > 0, number < 1 << 29 else {
                throw ProtobufDecodingError(reason: "invalid field number \(number)")
            }
            switch key & 7 {
            case 0:
                out.append((number, .varint(try varint(bytes, &index))))
            case 1:
                out.append((number, .fixed64(try littleEndian(bytes, &index, count: 8))))
            case 2:
                let length = try varint(bytes, &index)
                guard length <= UInt64(bytes.endIndex - index) else { throw truncated }
                let end = index + Int(length)
                out.append((number, .bytes(bytes[index..<end])))
                index = end
            case 5:
                let value = try littleEndian(bytes, &index, count: 4)
                out.append((number, .fixed32(UInt32(truncatingIfNeeded: value))))
            default:
                throw ProtobufDecodingError(reason: "unsupported wire type \(key & 7) of field \(number)")
            }
        }
        return out
    }

    private static let truncated = ProtobufDecodingError(reason: "truncated message")

    private static func littleEndian(_ bytes: ArraySlice<UInt8>, _ index: inout Int, count: Int)
        throws(ProtobufDecodingError) -> UInt64
    {
        guard bytes.endIndex - index >= count else { throw truncated }
        var value: UInt64 = 0
        for shift in 0..<count { value |= UInt64(bytes[index + shift]) << (8 * UInt64(shift)) }
        index += count
        return value
    }

    static func varint(_ bytes: ArraySlice<UInt8>, _ index: inout Int) throws(ProtobufDecodingError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.endIndex {
            let byte = bytes[index]
            index += 1
            guard shift < 64 else { throw ProtobufDecodingError(reason: "varint too long") }
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        throw truncated
    }

    /// The values of a packed repeated numeric field.
    static func packed(_ bytes: ArraySlice<UInt8>, type: KubernetesSchemas.FieldType) throws(ProtobufDecodingError)
        -> [WireValue]
    {
        var index = bytes.startIndex
        var out: [WireValue] = []
        while index < bytes.endIndex {
            switch type {
            case .double:
                out.append(.fixed64(try littleEndian(bytes, &index, count: 8)))
            case .float:
                out.append(.fixed32(UInt32(truncatingIfNeeded: try littleEndian(bytes, &index, count: 4))))
            default:
                out.append(.varint(try varint(bytes, &index)))
            }
        }
        return out
    }
}
