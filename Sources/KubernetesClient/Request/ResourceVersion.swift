/// The resourceVersion an object was read at: the precondition of a guarded write.
///
/// A guarded write (``KubernetesClient/update(_:at:options:)``, ``KubernetesClient/patch(_:name:namespace:at:merge:options:)``,
/// ``KubernetesClient/patchStatus(_:name:namespace:at:merge:options:)``) takes one as a non-optional
/// argument, so the precondition cannot be forgotten at the call site; the server refuses the write
/// with 409 when the object changed since (``GuardedWriteError/stale(_:)``).
package struct ResourceVersion: Sendable, Hashable, CustomStringConvertible {
    package let value: String

    /// A resourceVersion as the server sent it; nil when it is empty.
    package init?(_ value: String?) {
        guard let value, !value.isEmpty else { return nil }
        self.value = value
    }

    /// The resourceVersion `object` was read at.
    ///
    /// - Throws: ``GuardedWriteError/failed(_:)`` with a configuration error when the object carries
    ///   none (it was never read from the server).
    package init(of object: some KubernetesResource) throws(GuardedWriteError) {
        guard let version = ResourceVersion(object.metadata.resourceVersion) else {
            throw .failed(.configuration("\(type(of: object).resourceType) \"\(object.key)\" has no resourceVersion"))
        }
        self = version
    }

    package var description: String { value }
}

/// Why a guarded write failed: the object changed since it was read (stale), or anything else.
package enum GuardedWriteError: Error, Sendable, CustomStringConvertible {
    /// 409 Conflict: the object's resourceVersion is no longer the one the write was guarded by. Nothing
    /// was changed; re-read and decide again.
    case stale(StatusBody)
    /// Any other failure (``KubernetesError``); `notFound` when the object is gone.
    case failed(KubernetesError)

    package init(_ error: KubernetesError) {
        if case .conflict(let status) = error { self = .stale(status) } else { self = .failed(error) }
    }

    /// Whether the same write may succeed later: a stale one after re-reading, others per ``KubernetesError/isRetryable``.
    package var isRetryable: Bool {
        switch self {
        case .stale: true
        case .failed(let error): error.isRetryable
        }
    }

    /// Whether the server may have applied the write although it answered with an error (a timeout, a
    /// broken connection, a 5xx): the caller must re-read before concluding anything.
    package var isAmbiguous: Bool {
        switch self {
        case .stale: false
        case .failed(let error): error.isAmbiguous
        }
    }

    package var description: String {
        switch self {
        case .stale(let status): "stale resourceVersion: \(status.message ?? "conflict")"
        case .failed(let error): "\(error)"
        }
    }
}

extension KubernetesError {
    /// Whether a write that failed this way may nevertheless have been applied (a timeout, a broken
    /// connection, a 5xx); a 4xx answer means it was not.
    package var isAmbiguous: Bool {
        switch self {
        case .server, .transport: true
        case .decoding: true
        default: false
        }
    }
}
