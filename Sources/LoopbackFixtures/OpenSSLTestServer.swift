/// A real TLS server for tests: `openssl s_server -www` on `127.0.0.1` and a kernel-chosen port.
///
/// `-www` answers any request with an HTML status page that, when the client presented a certificate,
/// contains it in text form (its subject included), so a test can check what the server verified.
package struct OpenSSLTestServer: Sendable {
    package let port: Int

    /// `https://<host>:<port>/` (default host `127.0.0.1`; `localhost` works too, both are in the SAN).
    package func url(host: String = "127.0.0.1") -> String { "https://\(host):\(port)/" }

    /// Runs `openssl s_server` with the server certificate of `certificates` while `body` runs.
    ///
    /// - Parameter requireClientCertificate: when true (`-Verify 1 -CAfile ca.crt`), the server refuses
    ///   clients that present no certificate signed by the test CA.
    package static func withServer<Result>(
        certificates: TLSTestCertificates, requireClientCertificate: Bool = false,
        _ body: (OpenSSLTestServer) async throws -> Result
    ) async throws -> Result {
        let openssl = try SystemTool.require("openssl")
        var arguments = [
            "s_server", "-accept", "127.0.0.1:0", "-cert", certificates.serverCertificate, "-key",
            certificates.serverKey, "-www",
        ]
        if requireClientCertificate { arguments += ["-Verify", "1", "-CAfile", certificates.caCertificate] }
        return try await TestProcess.withProcess(openssl, arguments: arguments, directory: certificates.directory) {
            process in
            let line = try await process.waitForLine(startingWith: "ACCEPT")
            guard let port = line.split(separator: ":").last.flatMap({ Int($0) }) else {
                throw TestProcess.Failure(message: "printed an unexpected ACCEPT line", output: process.output)
            }
            return try await body(OpenSSLTestServer(port: port))
        }
    }
}
