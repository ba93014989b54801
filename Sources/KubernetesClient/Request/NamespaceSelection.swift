/// Which namespaces a list or watch covers.
package enum NamespaceSelection: Sendable, Hashable, ExpressibleByStringLiteral {
    /// Every namespace (and the only choice for cluster-scoped kinds).
    case all
    /// One namespace.
    case named(String)

    package init(stringLiteral value: String) { self = .named(value) }

    var namespace: String? {
        switch self {
        case .all: nil
        case .named(let name): name
        }
    }
}
