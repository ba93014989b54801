/// Where a strategic merge patch is inside a built-in kind, so each list merges as upstream's
/// `patchStrategy`/`patchMergeKey` tags say (from the derived schema table): by a merge key, as a
/// set of primitives, or replaced whole.
struct PatchSchema: Sendable {
    enum ListStrategy: Sendable, Equatable {
        case merge(key: String)
        case set
        case replace
    }

    private enum Position: Sendable {
        case message(KubernetesSchemas.Message)
        /// The values of a map field (`map<string, JSONSchemaProps>`).
        case mapValues(KubernetesSchemas.FieldType)
    }

    private let position: Position
    private let table: KubernetesSchemas

    /// The top of a built-in kind's object, or nil for kinds the table does not describe.
    init?(_ type: ServedResource, table: KubernetesSchemas = .shared) {
        guard let message = BuiltInFields.message(for: type, table: table) else { return nil }
        self.init(position: .message(message), table: table)
    }

    private init(position: Position, table: KubernetesSchemas) {
        self.position = position
        self.table = table
    }

    private init?(_ type: KubernetesSchemas.FieldType, table: KubernetesSchemas) {
        guard case .message(let name) = type, KubernetesSchemas.Special(rawValue: name) == nil,
            let message = table.message(name), !message.isNamedList
        else { return nil }
        self.init(position: .message(message), table: table)
    }

    private func field(_ key: String) -> KubernetesSchemas.Field? {
        guard case .message(let message) = position else { return nil }
        return Self.field(key, in: message, table: table)
    }

    private static func field(_ key: String, in message: KubernetesSchemas.Message, table: KubernetesSchemas)
        -> KubernetesSchemas.Field?
    {
        for field in message.fields {
            if field.inline, case .message(let name) = field.type, let inner = table.message(name) {
                if let found = Self.field(key, in: inner, table: table) { return found }
            } else if field.name == key {
                return field
            }
        }
        return nil
    }

    /// The schema of a member's value: a nested object, a map's values, or a list's elements.
    func child(_ key: String) -> PatchSchema? {
        switch position {
        case .mapValues(let type):
            return PatchSchema(type, table: table)
        case .message:
            guard let field = field(key) else { return nil }
            if field.mapKey != nil { return PatchSchema(position: .mapValues(field.type), table: table) }
            return PatchSchema(field.type, table: table)
        }
    }

    /// How the list at `key` merges, or nil when the schema does not know the member.
    func listStrategy(_ key: String) -> ListStrategy? {
        guard let field = field(key), field.repeated else { return nil }
        guard field.patchStrategy?.split(separator: ",").contains("merge") == true else { return .replace }
        if case .message = field.type {
            return field.patchMergeKey.map { .merge(key: $0) } ?? .replace
        }
        return .set
    }
}
