package import Foundation
package import Transport

/// Pushes small images to a registry by plain HTTP (blob upload + manifest PUT), as the distribution
/// API defines it: one layer blob and one config blob per image, a Docker schema 2 manifest, and
/// optionally an OCI index or Docker manifest list over several of them.
package struct RegistryImageSeeder: Sendable {
    package struct Pushed: Sendable, Hashable {
        package var digest: String
        package var size: Int
        package var architecture: String
    }

    package let transport: any HTTPTransport
    package let baseURL: String
    /// The Authorization value for pushing to a repository (Basic, or a push token), nil for none.
    package let authorization: @Sendable (String) throws -> String?

    package init(
        transport: any HTTPTransport,
        baseURL: String,
        authorization: @escaping @Sendable (String) throws -> String? = { _ in nil }
    ) {
        self.transport = transport
        self.baseURL = baseURL
        self.authorization = authorization
    }

    /// Pushes `repository:tag` for `linux/<architecture>`; returns the manifest's digest and size.
    /// A different `build` gives the same tag different content (a rebuilt `latest`); `created` is the
    /// image config's creation time (what `minReleaseAge` reads; default 2024-01-01).
    @discardableResult
    package func pushImage(
        _ repository: String, tag: String, architecture: String = "amd64", build: String = "",
        created: Date = Date(timeIntervalSince1970: 1_704_067_200)
    )
        async throws -> Pushed
    {
        let createdText = created.formatted(.iso8601)
        let layer = Data("tag=\(tag) arch=\(architecture)\(build.isEmpty ? "" : " build=\(build)")\n".utf8)
        let layerDigest = try ToolRunner.sha256Digest(layer)
        let config = Data(
            #"{"architecture":"\#(architecture)","os":"linux","created":"\#(createdText)","config":{"Labels":{"tag":"\#(tag)"}},"rootfs":{"type":"layers","diff_ids":["\#(layerDigest)"]}}"#
                .utf8)
        let configDigest = try ToolRunner.sha256Digest(config)
        try await pushBlob(repository, layer, digest: layerDigest)
        try await pushBlob(repository, config, digest: configDigest)
        let manifest = Data(
            #"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":\#(config.count),"digest":"\#(configDigest)"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":\#(layer.count),"digest":"\#(layerDigest)"}]}"#
                .utf8)
        let digest = try await putManifest(
            repository, reference: tag, body: manifest,
            mediaType: "application/vnd.docker.distribution.manifest.v2+json")
        return Pushed(digest: digest, size: manifest.count, architecture: architecture)
    }

    /// Pushes an index (OCI by default, or a Docker manifest list) over already pushed children.
    @discardableResult
    package func pushIndex(
        _ repository: String,
        tag: String,
        children: [Pushed],
        mediaType: String = "application/vnd.oci.image.index.v1+json"
    ) async throws -> String {
        let entries = children.map { child in
            #"{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"\#(child.digest)","size":\#(child.size),"platform":{"architecture":"\#(child.architecture)","os":"linux"\#(child.architecture == "arm64" ? #","variant":"v8""# : "")}}"#
        }
        let body = Data(
            #"{"schemaVersion":2,"mediaType":"\#(mediaType)","manifests":[\#(entries.joined(separator: ","))]}"#.utf8)
        return try await putManifest(repository, reference: tag, body: body, mediaType: mediaType)
    }

    private func pushBlob(_ repository: String, _ blob: Data, digest: String) async throws {
        let head = try await send(
            HTTPRequest(method: .head, url: "\(baseURL)/v2/\(repository)/blobs/\(digest)"), repository)
        if head.status == 200 { return }
        let start = try await send(
            HTTPRequest(method: .post, url: "\(baseURL)/v2/\(repository)/blobs/uploads/"), repository)
        guard start.status == 202, let location = start.headers["Location"] else {
            throw FixtureError("blob upload start answered \(start.status)")
        }
        let absolute = location.hasPrefix("http") ? location : baseURL + location
        let separator = absolute.contains("?") ? "&" : "?"
        let put = HTTPRequest(
            method: .put, url: "\(absolute)\(separator)digest=\(digest)",
            headers: ["Content-Type": "application/octet-stream"], body: blob)
        let done = try await send(put, repository)
        guard done.status == 201 else { throw FixtureError("blob upload answered \(done.status)") }
    }

    private func putManifest(_ repository: String, reference: String, body: Data, mediaType: String) async throws
        -> String
    {
        let request = HTTPRequest(
            method: .put, url: "\(baseURL)/v2/\(repository)/manifests/\(reference)",
            headers: ["Content-Type": mediaType],
            body: body)
        let response = try await send(request, repository)
        guard response.status == 201, let digest = response.headers["Docker-Content-Digest"] else {
            throw FixtureError(
                "manifest PUT answered \(response.status): \(String(decoding: response.body, as: UTF8.self))")
        }
        return digest
    }

    private func send(_ request: HTTPRequest, _ repository: String) async throws -> HTTPResponse {
        var request = request
        request.headers["Authorization"] = try authorization(repository)
        return try await transport.send(request)
    }
}
