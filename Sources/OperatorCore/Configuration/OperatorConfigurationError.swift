/// A start-up setting that cannot be used: one line naming the flag or variable, the value (never a
/// secret's) and the accepted form, e.g. `VERSIONS_FRONTIER: expected an integer 0 or more (got "-1")`.
///
/// Not retryable: the process must be restarted with a corrected value.
package struct OperatorConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The flag (`--lease-duration`) or environment variable (`VERSIONS_FRONTIER`) at fault.
    package var setting: String
    /// What is wrong and what is accepted; may quote the value, never a secret.
    package var message: String

    package init(_ setting: String, _ message: String) {
        self.setting = setting
        self.message = message
    }

    /// `<setting>: <message>` on one line (control characters in either are shown escaped).
    package var description: String {
        let line = message.hasPrefix(setting) ? message : "\(setting): \(message)"
        return line.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
