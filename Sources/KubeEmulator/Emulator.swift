import Foundation
package import Logging

/// A strict, in-memory Kubernetes API server.
///
/// One actor holds every object, a single global monotonically increasing resourceVersion, a bounded
/// event history for watch resumption, the open watches and the registry of served resources (built-ins
/// plus every CRD, served as soon as it is created). Two fronts share one ``EmulatorRouter``, so both
/// enforce the same rules: ``InProcessTransport`` (an `HTTPTransport` without sockets) and
/// ``EmulatorHTTPServer`` (Hummingbird on 127.0.0.1, for separate processes and the real kubectl).
///
/// See `Sources/KubeEmulator/README.md` for the test-facing API.
package actor Emulator {
    /// Settings fixed at creation.
    package struct Configuration: Sendable {
        /// How many change events are retained for watch resumption; older resourceVersions get 410 Expired.
        package var historyLimit: Int = 10_000
        /// Interval of BOOKMARK events on watches that allow them.
        package var bookmarkInterval: Duration = .seconds(60)
        /// Events buffered per watcher before the emulator closes that watch (the client re-watches).
        package var watcherBufferLimit: Int = 20_000
        /// The token that bypasses RBAC. Random unless set.
        package var adminToken: String = "admin-" + UUID().uuidString.lowercased()
        /// When false, requests without a bearer token act as the admin (kubectl with `user: {}`);
        /// when true they get 401.
        package var requireAuthentication: Bool = false
        /// Which built-in controllers run (all by default; switch them off to assert raw API behaviour).
        package var controllers: Controllers = .all
        /// The first resourceVersion; by default wall-clock microseconds, so a restarted emulator never
        /// hands out a resourceVersion lower than one a surviving client saw.
        package var initialResourceVersion: Int? = nil
        /// How Pods start: `.instant` (Running at once, digests from the resolver) or `.pulling` (Pending
        /// until the simulated kubelet has looked each image up in its registry).
        package var kubelet: KubeletMode = .instant
        /// Image patterns (`*` and `?` wildcards over the whole reference, e.g. `*/team/web:1.2.5` or
        /// `*:*-broken`) whose containers crash-loop and never become ready, so rollouts to them exceed
        /// their progress deadline (`Kubelet/CrashLoop.swift`). Empty: every container starts.
        package var crashLoopImages: [String] = []

        package init() {}
    }

    /// The built-in controllers.
    package struct Controllers: OptionSet, Sendable {
        package let rawValue: Int
        package init(rawValue: Int) { self.rawValue = rawValue }
        /// Deployments own ReplicaSets, ReplicaSets own Pods (image IDs from the digest resolver).
        package static let deployments = Controllers(rawValue: 1)
        /// StatefulSet status and Pods `<name>-0…N-1`.
        package static let statefulSets = Controllers(rawValue: 2)
        /// Deleting an owner deletes its dependents (ownerReferences), as the garbage collector does.
        package static let garbageCollector = Controllers(rawValue: 4)
        /// Deleting a Namespace deletes everything in it.
        package static let namespaces = Controllers(rawValue: 8)
        /// A `default` ServiceAccount in every namespace.
        package static let serviceAccounts = Controllers(rawValue: 16)
        /// PodDisruptionBudget status from the Pods each budget selects.
        package static let disruptionBudgets = Controllers(rawValue: 32)
        package static let all: Controllers = [
            .deployments, .statefulSets, .garbageCollector, .namespaces, .serviceAccounts, .disruptionBudgets,
        ]
        package static let none: Controllers = []
    }

    /// Maps a container image reference to the digest (`sha256:…`) its Pods report in
    /// `status.containerStatuses[].imageID`; nil reports an empty imageID.
    package typealias DigestResolver = @Sendable (_ image: String) -> String?

    /// The base URL the in-process transport answers to.
    package static let inProcessBaseURL = "http://kube-emulator.invalid"

    package nonisolated let configuration: Configuration
    /// Fault hooks, checked by the router before every request.
    package nonisolated let faults: FaultInjector
    /// Requests served, per identity, verb and resource (``RequestCounter``).
    package nonisolated let requests = RequestCounter()
    nonisolated let clock: any Clock<Duration>
    nonisolated let logger: Logger
    /// The simulated kubelet's image service (``KubeletMode/pulling(_:)`` only).
    nonisolated let imagePuller: ImagePuller?

    var registry = ResourceRegistry()
    var resourceVersion: Int
    /// storageKey → object key (`ns/name` or `name`) → stored object.
    var objects: [String: [String: JSON]] = [:]
    /// Owner uid → the stored objects naming it (kept by `commit`).
    var owners = OwnerIndex()
    var history: [Change] = []
    var historyStart = 0
    /// Every event with a resourceVersion ≤ this is gone from the history.
    var compactedThrough: Int
    var watchers: [Int: OpenWatch] = [:]
    var nextWatcherID = 0
    var tokens: [String: String] = [:]
    /// Tokens from TokenRequests: valid while their ServiceAccount (same uid) exists and until expiry.
    var boundTokens: [String: BoundToken] = [:]
    var digestResolver: DigestResolver = Emulator.placeholderDigest
    var pendingControllerWork: [ControllerWork] = []
    /// Deployment key (`ns/name`) → when a resync to check its progress deadline is due.
    var deadlineResyncs: [String: Date] = [:]
    var runningControllers = false

    /// Creates an emulator with the default namespaces (`default`, `kube-system`, `kube-public`,
    /// `kube-node-lease`), one Node, the `kubernetes` Service and `default` ServiceAccounts.
    package init(
        configuration: Configuration = Configuration(), clock: any Clock<Duration> = ContinuousClock(),
        logger: Logger = Logger(label: "kube-emulator")
    ) {
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        self.faults = FaultInjector()
        if case .pulling(let settings) = configuration.kubelet {
            imagePuller = ImagePuller(settings: settings)
        } else {
            imagePuller = nil
        }
        let seed = configuration.initialResourceVersion ?? Int(Date().timeIntervalSince1970 * 1_000_000)
        resourceVersion = seed
        compactedThrough = seed
        var namespaces: [String: JSON] = [:]
        for name in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            resourceVersion += 1
            namespaces[name] = Self.namespaceObject(name: name, resourceVersion: resourceVersion)
        }
        objects["/namespaces"] = namespaces
        var next = resourceVersion
        let furniture = Self.clusterSeed(
            namespaces: namespaces.keys.sorted(), controllers: configuration.controllers
        ) {
            next += 1
            return next
        }
        resourceVersion = next
        for (key, group) in furniture {
            objects[key] = group
            for (objectKey, object) in group {
                owners.replace(OwnerIndex.Entry(storageKey: key, objectKey: objectKey), old: nil, new: object)
            }
        }
        compactedThrough = resourceVersion
    }

    static func namespaceObject(name: String, resourceVersion: Int) -> JSON {
        [
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": [
                "name": .string(name), "uid": .string(UUID().uuidString.lowercased()),
                "resourceVersion": .string(String(resourceVersion)), "creationTimestamp": .string(timestamp()),
                "labels": ["kubernetes.io/metadata.name": .string(name)],
            ],
            "spec": ["finalizers": ["kubernetes"]], "status": ["phase": "Active"],
        ]
    }

    /// The in-process front: an `HTTPTransport` whose requests go through the same router as HTTP.
    package nonisolated var transport: InProcessTransport { InProcessTransport(emulator: self) }

    /// The admin bearer token (bypasses RBAC).
    package nonisolated var adminToken: String { configuration.adminToken }

    /// The current (latest) resourceVersion.
    package var currentResourceVersion: Int { resourceVersion }

    /// Replaces the digest resolver used for new Pods.
    package func setDigestResolver(_ resolver: @escaping DigestResolver) {
        digestResolver = resolver
    }

    /// A deterministic stand-in digest derived from the image reference (no registry involved).
    package static let placeholderDigest: DigestResolver = { image in
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var out = "sha256:"
        for round in 0..<4 {
            for byte in Array(image.utf8) + [UInt8(round)] {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            out += String(format: "%016llx", hash)
        }
        return out
    }

    /// Registers a bearer token for a ServiceAccount identity (`system:serviceaccount:<ns>:<name>`).
    ///
    /// Requests with this token are authorised by RBAC against the Roles, ClusterRoles and bindings
    /// stored in the emulator.
    package func registerToken(_ token: String, serviceAccount name: String, namespace: String) {
        tokens[token] = "system:serviceaccount:\(namespace):\(name)"
    }

    /// Issues a fresh random token for a ServiceAccount and returns it.
    package func issueToken(serviceAccount name: String, namespace: String) -> String {
        let token = "sa-" + UUID().uuidString.lowercased()
        registerToken(token, serviceAccount: name, namespace: namespace)
        return token
    }

    /// The identity of a bearer token: `.admin`, a user name, or nil for an unknown token.
    func identity(forToken token: String?) -> Identity? {
        guard let token else { return configuration.requireAuthentication ? nil : .admin }
        if token == configuration.adminToken { return .admin }
        if let bound = boundTokens[token] { return boundIdentity(bound) }
        return tokens[token].map { .user($0) }
    }

    /// Key of an object in its resource's map.
    static func objectKey(namespace: String?, name: String) -> String {
        if let namespace, !namespace.isEmpty { return "\(namespace)/\(name)" }
        return name
    }

    /// RFC 3339 with seconds, UTC (`2026-11-25T16:48:46Z`).
    static func timestamp(_ date: Date = Date()) -> String {
        date.formatted(.iso8601)
    }
}

/// Who sent a request.
package enum Identity: Sendable, Hashable, CustomStringConvertible {
    case admin
    case user(String)

    package var description: String {
        switch self {
        case .admin: "system:admin"
        case .user(let name): name
        }
    }
}
