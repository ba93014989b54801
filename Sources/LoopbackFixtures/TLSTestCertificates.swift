import struct Foundation.Data
import class Foundation.FileManager
import struct Foundation.URL

/// A throwaway PKI (P-256 keys) made with the `openssl` CLI in a fresh temporary directory: a CA, a server
/// certificate for `localhost` / `127.0.0.1` signed by it, and a client certificate (`CN=k8supdater-test-client`)
/// signed by it. All files are PEM.
///
/// Use ``withCertificates(_:)``; the directory is removed when the closure ends.
package struct TLSTestCertificates: Sendable {
    package let directory: String
    package var caCertificate: String { "\(directory)/ca.crt" }
    package var serverCertificate: String { "\(directory)/server.crt" }
    package var serverKey: String { "\(directory)/server.key" }
    package var clientCertificate: String { "\(directory)/client.crt" }
    package var clientKey: String { "\(directory)/client.key" }
    /// The client certificate's subject common name.
    package static let clientCommonName = "k8supdater-test-client"

    /// Creates the PKI, runs `body`, removes the files.
    ///
    /// - Throws: ``SystemTool/Missing`` without `openssl`; ``Failure`` when a command fails.
    package static func withCertificates<Result>(_ body: (TLSTestCertificates) async throws -> Result) async throws
        -> Result
    {
        let openssl = try SystemTool.require("openssl")
        let temporary = try TemporaryDirectory(prefix: "k8supdater-tls")
        defer { temporary.remove() }
        let directory = temporary.path
        let certificates = TLSTestCertificates(directory: directory)
        try await certificates.generate(openssl: openssl)
        return try await body(certificates)
    }

    private func generate(openssl: String) async throws {
        try await run(
            openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "ca.key", "-out", "ca.crt",
            "-days", "2", "-subj", "/CN=k8supdater test CA", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        try await issue(
            openssl, name: "server", subject: "/CN=localhost",
            extensions: "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        try await issue(
            openssl, name: "client", subject: "/CN=\(Self.clientCommonName)",
            extensions: "extendedKeyUsage=clientAuth\n")
    }

    private func issue(_ openssl: String, name: String, subject: String, extensions: String) async throws {
        try await run(
            openssl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "\(name).key", "-out", "\(name).csr",
            "-subj", subject)
        try Data(extensions.utf8).write(to: URL(fileURLWithPath: "\(directory)/\(name).ext"))
        try await run(
            openssl, "x509", "-req", "-in", "\(name).csr", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "\(name).crt", "-days", "2", "-extfile", "\(name).ext")
    }

    private func run(_ executable: String, _ arguments: String...) async throws {
        let (status, output) = try await TestProcess.run(executable, arguments: arguments, directory: directory)
        guard status == 0 else {
            throw Failure(description: "openssl \(arguments.prefix(2).joined(separator: " ")) failed:\n\(output)")
        }
    }

    /// An `openssl` command failed.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }
}
