/// One challenge from a `WWW-Authenticate` header (RFC 9110 §11.6.1): a scheme and its parameters.
///
/// Registries send `Bearer realm="…",service="…",scope="…"[,error="invalid_token"]` or
/// `Basic realm="…"`; one header may hold several challenges (`Bearer …, Basic …`), and a response may
/// carry several headers.
package struct AuthChallenge: Sendable, Hashable {
    /// Lowercased scheme: `bearer`, `basic`, …
    package var scheme: String
    /// Parameters with lowercased names; quoted values unquoted.
    package var parameters: [String: String]

    package init(scheme: String, parameters: [String: String] = [:]) {
        self.scheme = scheme.lowercased()
        self.parameters = parameters
    }

    package var realm: String? { parameters["realm"] }
    package var service: String? { parameters["service"] }
    /// The space-separated scopes of the `scope` parameter.
    package var scopes: [String] { parameters["scope"].map { $0.split(separator: " ").map(String.init) } ?? [] }
    /// `invalid_token`, `insufficient_scope`, … (RFC 6750 §3.1).
    package var error: String? { parameters["error"] }

    /// Parses every challenge of every given header value; unparsable parts are skipped.
    package static func parse(_ headerValues: [String]) -> [AuthChallenge] {
        headerValues.flatMap { parse(Array($0.unicodeScalars)) }
    }

    private static func parse(_ text: [Unicode.Scalar]) -> [AuthChallenge] {
        var scanner = ChallengeScanner(text: text)
        var challenges: [AuthChallenge] = []
        while true {
            scanner.skip { $0 == " " || $0 == "," || $0 == "\t" }
            guard let scheme = scanner.token(), !scheme.isEmpty else { break }
            var challenge = AuthChallenge(scheme: scheme)
            while true {
                scanner.skip { $0 == " " || $0 == "\t" }
                let mark = scanner.position
                guard let name = scanner.token(), !name.isEmpty else { break }
                scanner.skip { $0 == " " }
                guard scanner.consume("=") else {
                    scanner.position = mark  // the next challenge's scheme
                    break
                }
                scanner.skip { $0 == " " }
                challenge.parameters[name.lowercased()] = scanner.quotedString() ?? scanner.token() ?? ""
                scanner.skip { $0 == " " || $0 == "\t" }
                if !scanner.consume(",") { break }
            }
            challenges.append(challenge)
        }
        return challenges
    }
}

/// A cursor over the header's scalars.
private struct ChallengeScanner {
    var text: [Unicode.Scalar]
    var position = 0

    mutating func skip(while predicate: (Unicode.Scalar) -> Bool) {
        while position < text.count, predicate(text[position]) { position += 1 }
    }

    mutating func consume(_ scalar: Unicode.Scalar) -> Bool {
        guard position < text.count, text[position] == scalar else { return false }
        position += 1
        return true
    }

    /// An RFC 9110 token (also accepting `/`, `:` and `=`-free base64 characters of token68).
    mutating func token() -> String? {
        let start = position
        skip { scalar in
            scalar.isASCII && scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || "!#$%&'*+-.^_`|~/:".unicodeScalars.contains(scalar)
        }
        return position > start ? String(String.UnicodeScalarView(text[start..<position])) : nil
    }

    mutating func quotedString() -> String? {
        guard consume("\"") else { return nil }
        var value = String.UnicodeScalarView()
        while position < text.count, text[position] != "\"" {
            if text[position] == "\\", position + 1 < text.count { position += 1 }
            value.append(text[position])
            position += 1
        }
        _ = consume("\"")
        return String(value)
    }
}
