import struct Foundation.Data
import class Foundation.FileHandle
import class Foundation.FileManager
import class Foundation.Process
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
        let directory = try TemporaryDirectory.make(prefix: "k8supdater-tls")
        defer { TemporaryDirectory.remove(directory) }
        let certificates = TLSTestCertificates(directory: directory)
        try certificates.generate(openssl: openssl)
        return try await body(certificates)
    }

    private func generate(openssl: String) throws {
        try run(
            openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "ca.key", "-out", "ca.crt",
            "-days", "2", "-subj", "/CN=k8supdater test CA", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        try issue(
            openssl, name: "server", subject: "/CN=localhost",
            extensions: "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        try issue(
            openssl, name: "client", subject: "/CN=\(Self.clientCommonName)",
            extensions: "extendedKeyUsage=clientAuth\n")
    }

    private func issue(_ openssl: String, name: String, subject: String, extensions: String) throws {
        try run(
            openssl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "\(name).key", "-out", "\(name).csr",
            "-subj", subject)
        FileManager.default.createFile(atPath: "\(directory)/\(name).ext", contents: Data(extensions.utf8))
        try run(
            openssl, "x509", "-req", "-in", "\(name).csr", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "\(name).crt", "-days", "2", "-extfile", "\(name).ext")
    }

    private func run(_ executable: String, _ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let log = "\(directory)/openssl.log"
        if !FileManager.default.fileExists(atPath: log) { FileManager.default.createFile(atPath: log, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        defer { try? handle.close() }
        try handle.seekToEnd()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let output = FileManager.default.contents(atPath: log).map { String(decoding: $0, as: UTF8.self) } ?? ""
            throw Failure(description: "openssl \(arguments.prefix(2).joined(separator: " ")) failed:\n\(output)")
        }
    }

    /// An `openssl` command failed.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }
}
