import Foundation

/// Request bodies in `application/vnd.kubernetes.protobuf`, for the kinds the schema table
/// describes; other kinds keep the 415 they had before protobuf bodies were accepted.
enum ProtobufBody {
    static func isProtobuf(contentType: String) -> Bool {
        contentType.lowercased().hasPrefix("application/vnd.kubernetes.protobuf")
    }

    /// The JSON object a protobuf body carries.
    ///
    /// - Throws: ``APIError`` 415 for a kind without a protobuf schema, 400 for a body that does not
    ///   decode.
    static func decode(_ body: Data) throws(APIError) -> JSON {
        do {
            return try ProtobufObjectDecoder().decode(body)
        } catch {
            if let kind = error.unknownKind {
                throw APIError.unsupportedMediaType(
                    "the body of the request was in an unknown format - accepted media types include: "
                        + "application/json, application/yaml (no protobuf encoding for \(kind.apiVersion), "
                        + "Kind=\(kind.kind))")
            }
            throw APIError.badRequest("the body of the request could not be decoded as protobuf: \(error)")
        }
    }
}
