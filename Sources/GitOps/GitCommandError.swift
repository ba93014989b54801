/// Why a Git operation failed, and whether trying again may help.
///
/// Messages are one sentence a user can act on; they never contain a token, a key or a URL's user
/// information (``GitCommandRunner`` redacts what git printed before it gets here).
package struct GitCommandError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    package enum Kind: String, Sendable, Hashable {
        /// The server refused the credentials (HTTP 401/403, SSH publickey denied, unknown host key).
        case authRefused = "AuthRefused"
        /// The server refused the push: a protected branch, a pre-receive hook, a declined ref update.
        case pushRejected = "PushRejected"
        /// The branch moved while the change was being made; fetch, re-apply and push again.
        case nonFastForward = "NonFastForward"
        /// The repository or branch does not exist (or is not visible with these credentials).
        case repositoryNotFound = "RepositoryNotFound"
        /// `path` does not exist in the branch.
        case pathMissing = "PathMissing"
        /// No YAML field under `path` carries the marker for this VersioningHandler and container.
        case markerNotFound = "MarkerNotFound"
        /// A file could not be edited as asked (not valid for the writer, e.g. a flow-style `images:`).
        case unsupportedFile = "UnsupportedFile"
        /// The server or the network failed (connection refused, 5xx, DNS): transient.
        case unreachable = "Unreachable"
        /// git ran longer than its time limit and was stopped.
        case timedOut = "TimedOut"
        /// git could not be started, or failed in a way not classified above.
        case failed = "GitFailed"
        /// The write-back settings are invalid (bad URL, missing credentials).
        case invalidTarget = "InvalidTarget"
    }

    package var kind: Kind
    /// One sentence for a condition's message.
    package var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// Whether the same operation may succeed later without anyone changing anything.
    ///
    /// Auth refusals, rejected pushes, missing paths or markers need a person: retrying them only
    /// hammers the server (and may lock the account).
    package var isRetryable: Bool {
        switch kind {
        case .nonFastForward, .unreachable, .timedOut, .failed: true
        case .authRefused, .pushRejected, .repositoryNotFound, .pathMissing, .markerNotFound, .unsupportedFile,
            .invalidTarget:
            false
        }
    }

    /// UpperCamelCase, for a condition's `reason`.
    package var reason: String { kind == .invalidTarget ? "InvalidWriteBackTarget" : "WriteBack" + kind.rawValue }

    package var description: String { "\(kind.rawValue): \(message)" }
}
