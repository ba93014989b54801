package import Foundation

/// The token server's reply (distribution token spec): `token` or `access_token`, `expires_in`
/// (default 60 s), `issued_at` (ignored: expiry is measured from when we received the reply, on our
/// own clock, so skew between clocks cannot make a stale token look fresh).
package struct BearerTokenResponse: Sendable, Hashable {
    package var token: String
    package var expiresIn: Duration

    /// Decodes the reply; nil when it holds no token.
    package init?(json: Data) {
        struct Wire: Decodable {
            var token: String?
            var access_token: String?
            var expires_in: Double?
        }
        guard let wire = try? JSONDecoder().decode(Wire.self, from: json),
            let token = [wire.token, wire.access_token].compactMap(\.self).first(where: { !$0.isEmpty })
        else { return nil }
        self.token = token
        let seconds = wire.expires_in.flatMap { $0 > 0 ? $0 : nil } ?? 60
        expiresIn = .milliseconds(Int64(seconds * 1000))
    }

    /// How long to reuse the token: its lifetime minus a margin (a tenth, at most 30 s).
    package var reuseFor: Duration {
        expiresIn - min(expiresIn / 10, .seconds(30))
    }
}
