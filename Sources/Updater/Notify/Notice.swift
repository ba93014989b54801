package import Transport

/// A finding ready to be delivered: the finding, its rendered message and its fingerprint.
package struct Notice: Sendable, Hashable {
    package var finding: Finding
    package var message: NotificationMessage
    package var fingerprint: String

    /// - Throws: ``DigestError`` when the fingerprint cannot be computed (libcrypto failed).
    package init(_ finding: Finding) throws(DigestError) {
        self.finding = finding
        self.message = NotificationMessage(finding)
        self.fingerprint = try finding.fingerprint
    }
}
