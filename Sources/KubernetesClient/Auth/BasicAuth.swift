import Foundation

/// HTTP basic authentication (kubeconfig `username`/`password`).
package struct BasicAuth: AuthProvider {
    private let header: String

    package init(username: String, password: String) {
        header = "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }

    package func credentials() async throws(KubernetesError) -> Credentials {
        Credentials(authorization: header)
    }

    package func invalidate() async -> Bool { false }
}
