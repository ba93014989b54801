package import struct Foundation.Data

/// How a transfer authenticates the server and, optionally, itself.
///
/// The default verifies the server against the system's CA store. `insecure` turns verification off
/// and exists only because kubeconfigs can ask for it (`insecure-skip-tls-verify`).
package struct TLSConfiguration: Sendable, Hashable {
    /// Where PEM data comes from: a file, or bytes (kubeconfig `*-data` fields, decoded).
    package enum PEMSource: Sendable, Hashable {
        case file(String)
        case bytes(Data)
    }

    /// Extra trusted CA certificates. When set, they replace the system store for this transfer,
    /// as kubectl does for a cluster's `certificate-authority`.
    package var certificateAuthority: PEMSource?
    /// A client certificate presented during the handshake.
    package var clientCertificate: PEMSource?
    /// The private key of ``clientCertificate``.
    package var clientKey: PEMSource?
    /// Skips verification of the server's certificate and name. Only when explicitly asked for.
    package var insecureSkipVerify: Bool
    /// Overrides the name the server certificate is checked against (kubeconfig `tls-server-name`).
    package var serverName: String?

    package init(
        certificateAuthority: PEMSource? = nil,
        clientCertificate: PEMSource? = nil,
        clientKey: PEMSource? = nil,
        insecureSkipVerify: Bool = false,
        serverName: String? = nil
    ) {
        self.certificateAuthority = certificateAuthority
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.insecureSkipVerify = insecureSkipVerify
        self.serverName = serverName
    }

    /// System CAs, full verification.
    package static let `default` = TLSConfiguration()
}
