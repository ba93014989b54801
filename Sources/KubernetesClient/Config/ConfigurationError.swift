/// A configuration that cannot be used: it names the file (or environment variable) and the field.
package struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file path or environment variable the problem is in.
    package var source: String
    /// The field within it (`users[dev].user.client-key-data`), when one is to blame.
    package var field: String?
    package var message: String

    package init(source: String, field: String? = nil, message: String) {
        self.source = source
        self.field = field
        self.message = message
    }

    package var description: String {
        if let field { return "\(source): \(field): \(message)" }
        return "\(source): \(message)"
    }
}
