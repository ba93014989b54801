import Foundation
import TestSupport
import Testing
import Transport

/// Real TLS against `openssl s_server`, with a throwaway CA made by the `openssl` CLI.
@Suite("CurlTransport TLS")
struct CurlTransportTLSTests {
    enum Trust: String, CaseIterable, Sendable {
        case caFile, caBytes, insecure
    }

    @Test("without the test CA, verification fails with a TLS error", .requires(.executable("openssl")))
    func untrustedServer() async throws {
        try SystemTool.require("openssl")
        let transport = try CurlTransport()
        _ = try await TLSTestCertificates.withCertificates { certificates in
            try await OpenSSLTestServer.withServer(certificates: certificates) { server in
                await #expect {
                    _ = try await transport.send(Transport.HTTPRequest(url: server.url()))
                } throws: { error in
                    guard case .tls = error as? TransportError else { return false }
                    return (error as? TransportError)?.isRetryable == false
                }
            }
        }
        await transport.shutdown()
    }

    @Test(
        "the server is trusted with the CA as a file, as PEM bytes, or when verification is off",
        .requires(.executable("openssl")), arguments: Trust.allCases, ["127.0.0.1", "localhost"])
    func trustedServer(trust: Trust, host: String) async throws {
        try SystemTool.require("openssl")
        let transport = try CurlTransport()
        try await TLSTestCertificates.withCertificates { certificates in
            let tls: TLSConfiguration
            switch trust {
            case .caFile: tls = TLSConfiguration(certificateAuthority: .file(certificates.caCertificate))
            case .caBytes:
                let pem = try Data(contentsOf: URL(fileURLWithPath: certificates.caCertificate))
                tls = TLSConfiguration(certificateAuthority: .bytes(pem))
            case .insecure: tls = TLSConfiguration(insecureSkipVerify: true)
            }
            try await OpenSSLTestServer.withServer(certificates: certificates) { server in
                let response = try await transport.send(Transport.HTTPRequest(url: server.url(host: host), tls: tls))
                #expect(response.status == 200)
            }
        }
        await transport.shutdown()
    }

    @Test("a host name outside the certificate is refused even with the right CA", .requires(.executable("openssl")))
    func wrongName() async throws {
        try SystemTool.require("openssl")
        let transport = try CurlTransport()
        try await TLSTestCertificates.withCertificates { certificates in
            try await OpenSSLTestServer.withServer(certificates: certificates) { server in
                // serverName makes libcurl verify another name while connecting to 127.0.0.1.
                let tls = TLSConfiguration(
                    certificateAuthority: .file(certificates.caCertificate), serverName: "wrong.example.test")
                await #expect {
                    _ = try await transport.send(Transport.HTTPRequest(url: server.url(), tls: tls))
                } throws: { error in
                    if case .tls = error as? TransportError { return true }
                    return false
                }
                // …and the right override name passes.
                let good = TLSConfiguration(
                    certificateAuthority: .file(certificates.caCertificate), serverName: "localhost")
                let response = try await transport.send(Transport.HTTPRequest(url: server.url(), tls: good))
                #expect(response.status == 200)
            }
        }
        await transport.shutdown()
    }

    @Test(
        "a client certificate from files or PEM bytes is presented and verified by the server",
        .requires(.executable("openssl")), arguments: [false, true])
    func clientCertificate(asBytes: Bool) async throws {
        try SystemTool.require("openssl")
        let transport = try CurlTransport()
        try await TLSTestCertificates.withCertificates { certificates in
            let ca = TLSConfiguration.PEMSource.file(certificates.caCertificate)
            let tls: TLSConfiguration
            if asBytes {
                let cert = try Data(contentsOf: URL(fileURLWithPath: certificates.clientCertificate))
                let key = try Data(contentsOf: URL(fileURLWithPath: certificates.clientKey))
                tls = TLSConfiguration(
                    certificateAuthority: ca, clientCertificate: .bytes(cert), clientKey: .bytes(key))
            } else {
                tls = TLSConfiguration(
                    certificateAuthority: ca, clientCertificate: .file(certificates.clientCertificate),
                    clientKey: .file(certificates.clientKey))
            }
            try await OpenSSLTestServer.withServer(certificates: certificates, requireClientCertificate: true) {
                server in
                let response = try await transport.send(Transport.HTTPRequest(url: server.url(), tls: tls))
                #expect(response.status == 200)
                // s_server -www prints the verified client certificate, subject included.
                let page = String(decoding: response.body, as: UTF8.self)
                #expect(page.contains("Client certificate"))
                #expect(page.contains("Subject: CN=\(TLSTestCertificates.clientCommonName)"))
            }
        }
        await transport.shutdown()
    }

    @Test("a server requiring a client certificate refuses a client without one", .requires(.executable("openssl")))
    func missingClientCertificate() async throws {
        try SystemTool.require("openssl")
        let transport = try CurlTransport()
        try await TLSTestCertificates.withCertificates { certificates in
            try await OpenSSLTestServer.withServer(certificates: certificates, requireClientCertificate: true) {
                server in
                let tls = TLSConfiguration(certificateAuthority: .file(certificates.caCertificate))
                await #expect {
                    _ = try await transport.send(Transport.HTTPRequest(url: server.url(), tls: tls))
                } throws: { error in
                    if case .tls = error as? TransportError { return true }
                    return false
                }
            }
        }
        await transport.shutdown()
    }
}
