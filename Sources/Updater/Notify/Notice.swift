/// A finding ready to be delivered: the finding, its rendered message and its fingerprint.
package struct Notice: Sendable, Hashable {
    package var finding: Finding
    package var message: NotificationMessage
    package var fingerprint: String

    package init(_ finding: Finding) {
        self.finding = finding
        self.message = NotificationMessage(finding)
        self.fingerprint = finding.fingerprint
    }
}
