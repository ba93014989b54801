/// One line of explanation attached to a ``VersionDecision``, for status messages, notifications
/// and `k8supdater decide`. ``code`` is stable (JSON output); ``description`` is for people.
package enum DecisionReason: Equatable, Sendable, CustomStringConvertible {
    /// No tag of the same shape is newer than the current one.
    case noNewerVersion
    /// `tag` is the newest version that differs only right of the frontier.
    case withinFrontier(tag: String, frontier: Frontier)
    /// `tag` is newer but differs within the first `frontier` components.
    case beyondFrontier(tag: String, frontier: Frontier)
    /// The mode is NotifyOnly, so `tag` is reported instead of applied.
    case notifyOnly(tag: String)
    /// Tags left out by candidate selection (counts), so users can see why a tag was not chosen.
    case skipped(otherShape: Int, preReleases: Int, unreadable: Int)

    package var code: String {
        switch self {
        case .noNewerVersion: "noNewerVersion"
        case .withinFrontier: "withinFrontier"
        case .beyondFrontier: "beyondFrontier"
        case .notifyOnly: "notifyOnly"
        case .skipped: "skipped"
        }
    }

    package var description: String {
        switch self {
        case .noNewerVersion:
            "no newer tag of the same shape"
        case .withinFrontier(let tag, let frontier):
            frontier.depth == 0
                ? "\(tag) is the newest tag (frontier 0: always update)"
                : "\(tag) is the newest tag that keeps the first \(frontier.depth) component(s)"
        case .beyondFrontier(let tag, let frontier):
            "\(tag) is newer but changes the first \(frontier.depth) component(s): notify only"
        case .notifyOnly(let tag):
            "\(tag) is newer; mode NotifyOnly never updates"
        case .skipped(let otherShape, let preReleases, let unreadable):
            "skipped \(otherShape) tag(s) of another prefix/suffix/precision, \(preReleases) pre-release(s), "
                + "\(unreadable) tag(s) without a readable version"
        }
    }
}
