import Foundation

/// A parsed `labelSelector` query: comma-separated requirements, all of which must hold.
///
/// Grammar (as kube-apiserver): `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k` (exists),
/// `!k` (does not exist).
package struct LabelSelector: Sendable, Hashable {
    package enum Requirement: Sendable, Hashable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)

        func matches(_ labels: [String: String]) -> Bool {
            switch self {
            case .equals(let key, let value): labels[key] == value
            case .notEquals(let key, let value): labels[key] != value
            case .isIn(let key, let values): labels[key].map(values.contains) ?? false
            case .notIn(let key, let values): !(labels[key].map(values.contains) ?? false)
            case .exists(let key): labels[key] != nil
            case .doesNotExist(let key): labels[key] == nil
            }
        }
    }

    package var requirements: [Requirement]

    /// Matches everything.
    package static let everything = LabelSelector(requirements: [])

    package init(requirements: [Requirement]) { self.requirements = requirements }

    /// Parses the query form.
    ///
    /// - Throws: ``APIError`` 400 BadRequest for a malformed selector.
    package init(parsing text: String) throws(APIError) {
        var requirements: [Requirement] = []
        for part in Self.splitTopLevel(text) {
            let term = part.trimmingCharacters(in: " ")
            if term.isEmpty { continue }
            requirements.append(try Self.parseTerm(term, whole: text))
        }
        self.requirements = requirements
    }

    /// Whether an object's labels satisfy every requirement.
    package func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    private static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if character == "," && depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }

    private static func validKey(_ key: String) -> Bool {
        !key.isEmpty && key.count <= 316
            && key.allSatisfy { $0.isLetter || $0.isNumber || "-_./".contains($0) }
    }

    private static func parseTerm(_ term: String, whole: String) throws(APIError) -> Requirement {
        let bad = APIError.badRequest("unable to parse requirement: invalid label selector: \(whole)")
        if term.hasPrefix("!") {
            let key = String(term.dropFirst()).trimmingCharacters(in: " ")
            guard validKey(key) else { throw bad }
            return .doesNotExist(key)
        }
        for (op, isEquality) in [("!=", false), ("==", true), ("=", true)] {
            if let range = term.range(of: op) {
                let key = String(term[..<range.lowerBound]).trimmingCharacters(in: " ")
                let value = String(term[range.upperBound...]).trimmingCharacters(in: " ")
                guard validKey(key), value.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                    throw bad
                }
                return isEquality ? .equals(key, value) : .notEquals(key, value)
            }
        }
        let words = term.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true).map(String.init)
        if words.count == 1 {
            guard validKey(words[0]) else { throw bad }
            return .exists(words[0])
        }
        guard words.count >= 2 else { throw bad }
        let key = words[0]
        var rest = term.dropFirst(key.count).trimmingCharacters(in: " ")
        let isNotIn: Bool
        if rest.hasPrefix("notin") {
            isNotIn = true
            rest = String(rest.dropFirst(5))
        } else if rest.hasPrefix("in") {
            isNotIn = false
            rest = String(rest.dropFirst(2))
        } else {
            throw bad
        }
        rest = rest.trimmingCharacters(in: " ")
        guard validKey(key), rest.hasPrefix("("), rest.hasSuffix(")") else { throw bad }
        let values = Set(
            rest.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: " ") }.filter {
                !$0.isEmpty
            })
        guard !values.isEmpty else { throw bad }
        return isNotIn ? .notIn(key, values) : .isIn(key, values)
    }
}

extension StringProtocol {
    /// The string without leading and trailing occurrences of `character`.
    func trimmingCharacters(in character: Character) -> String {
        var slice = Substring(self)
        while slice.first == character { slice = slice.dropFirst() }
        while slice.last == character { slice = slice.dropLast() }
        return String(slice)
    }
}
