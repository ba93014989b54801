/// A credential (SMTP password, Telegram token, webhook secret) that never prints itself.
///
/// `description`, `debugDescription`, string interpolation and `dump` all show `<redacted>`; the value
/// is reachable only through ``revealed``, which callers use at the one place the secret must leave
/// the process (an `Authorization` field, an SMTP `AUTH`, a URL path, an HMAC key).
package struct SecretValue: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// What every textual form of a secret shows.
    package static let placeholder = "<redacted>"

    private let value: String

    package init(_ value: String) { self.value = value }

    /// The secret itself. Never log, store or interpolate the result.
    package var revealed: String { value }

    /// Whether the secret is the empty string (e.g. `EMAIL_PASSWORD=` meaning "no AUTH").
    package var isEmpty: Bool { value.isEmpty }

    package var description: String { Self.placeholder }
    package var debugDescription: String { Self.placeholder }
    package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
