import Foundation
import KubernetesClient
import TestSupport
import Transport

/// Shared pieces of the wire tests: a client over a script, and canonical object JSON.
enum Wire {
    static let server = "https://k8s.test:6443"

    static func client(_ transport: ScriptedTransport, namespace: String = "web") -> KubernetesClient {
        let configuration = ClientConfiguration(
            server: server, auth: BearerTokenAuth(token: "s3cret"), namespace: namespace,
            flowControl: .init(qps: 1000, burst: 1000, maxRetries: 0))
        return KubernetesClient(configuration: configuration, transport: transport)
    }

    /// Headers every request carries.
    static let common: [String: String] = [
        "Accept": "application/json", "Authorization": "Bearer s3cret",
        "User-Agent": ClientConfiguration.defaultUserAgent,
    ]

    static func headers(contentType: String) -> [String: String] {
        common.merging(["Content-Type": contentType]) { $1 }
    }

    static func vhJSON(name: String = "nginx-checker", resourceVersion: String = "7") -> String {
        """
        {"apiVersion":"k8supdater.io/v1","kind":"VersioningHandler",
         "metadata":{"name":"\(name)","namespace":"web","resourceVersion":"\(resourceVersion)","uid":"u-1",
                     "generation":1,"creationTimestamp":"2026-11-25T16:48:46Z"},
         "spec":{"deployment":"nginx-deployment","containerregistry":"dockerhub"}}
        """
    }

    static func json(_ text: String) -> Data { Data(text.utf8) }
}
