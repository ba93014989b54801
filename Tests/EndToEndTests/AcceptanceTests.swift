import Foundation
import KubeEmulator
import KubernetesClient
import TestSupport
import Testing
import VersioningAPI

/// Issue 15's acceptance lines with the real kubectl against a running operator: `kubectl get vh -A`
/// shows the printer columns with each object's shard and status, `kubectl describe vh` the conditions
/// and Events; and `/metrics` has every metric family the issue names.
@Suite(
    "End to end: kubectl and /metrics", .serialized,
    .requires(.executable("kubectl"), .executable("docker-registry"), .executable("openssl"), .pythonModule("aiosmtpd"))
)
struct AcceptanceTests {
    typealias Cluster = EndToEndCluster

    @Test("kubectl get vh -A and kubectl describe vh; /metrics has every family the issue names")
    func kubectlAndMetrics() async throws {
        try await Cluster.run { cluster in
            let repository = "\(cluster.registry.host)/team/web"
            try await cluster.seeder.pushImage("team/web", tag: "1.2.3")
            try await cluster.seeder.pushImage("team/web", tag: "1.2.4")
            try await cluster.kubectl("create", "namespace", "shop")
            try await cluster.deployWatched("web", image: "\(repository):1.2.3")
            try await cluster.deployWatched("cart", image: "\(repository):1.2.4", namespace: "shop")
            try await cluster.apply(
                """
                apiVersion: k8supdater.io/v1
                kind: VersioningHandler
                metadata: {name: missing-updater, namespace: shop}
                spec: {deployment: missing, containerregistry: oci}
                """)
            let process = try await cluster.startOperator()
            let checked = await Cluster.eventually {
                let web = try? await cluster.handler("web-updater")
                let cart = try? await cluster.handler("cart-updater", namespace: "shop")
                let missing = try? await cluster.handler("missing-updater", namespace: "shop")
                return web?.status?.summary == "Updated 1.2.4" && cart?.status?.summary == "Up to date 1.2.4"
                    && missing?.status?.summary == "Invalid: DeploymentNotFound"
            }
            #expect(checked, "\(process.output.suffix(3000))")

            let table = try await cluster.kubectl("get", "vh", "-A")
            let lines = table.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
            let header = lines.first.map { $0.joined(separator: " ") } ?? ""
            #expect(header == "NAMESPACE NAME DEPLOYMENT REGISTRY SHARD STATUS LAST CHECK AGE", "\(table)")
            let rows = table.split(separator: "\n").dropFirst().map(String.init)
            func row(_ namespace: String, _ name: String) -> String? {
                rows.first { $0.hasPrefix(namespace + " ") && $0.contains(" \(name) ") }
            }
            let web = try #require(row("default", "web-updater"), "\(table)")
            #expect(web.contains(" web ") && web.contains(" oci ") && web.contains(" k8supdater-0 "), "\(web)")
            #expect(web.contains("Updated 1.2.4"), "\(web)")
            let cart = try #require(row("shop", "cart-updater"), "\(table)")
            #expect(cart.contains(" k8supdater-0 ") && cart.contains("Up to date 1.2.4"), "\(cart)")
            let missing = try #require(row("shop", "missing-updater"), "\(table)")
            #expect(missing.contains(" k8supdater-0 ") && missing.contains("Invalid: DeploymentNotFound"), "\(missing)")

            let described = try await cluster.kubectl("describe", "vh", "web-updater", "-n", "default")
            #expect(described.contains("Conditions:"), "\(described)")
            #expect(described.contains("Ready"), "\(described)")
            #expect(described.contains("Events:"), "\(described)")
            let events = described.components(separatedBy: "Events:").last ?? ""
            #expect(events.contains("Updated") && events.contains("k8supdater.io/operator"), "\(described)")
            #expect(described.contains("1.2.4"), "\(described)")
            let describedMissing = try await cluster.kubectl("describe", "vh", "missing-updater", "-n", "shop")
            #expect(describedMissing.contains("DeploymentNotFound"), "\(describedMissing)")
            let missingEvents = describedMissing.components(separatedBy: "Events:").last ?? ""
            #expect(missingEvents.contains("Warning") && missingEvents.contains("CheckFailed"), "\(describedMissing)")

            let metrics = try #require(await process.metrics())
            let families = [
                "k8supdater_checks_total",  // checks
                "k8supdater_updates_total",  // updates
                "k8supdater_notifications_total",  // notifications
                "k8supdater_registry_requests_total",  // registry requests
                "k8supdater_registry_throttled_total",  // throttling
                "controller_work_duration_seconds",  // reconcile latency
                "controller_queue_depth",  // queue depth
                "k8supdater_shard_owned_objects",  // owned objects
                "k8supdater_shard_drains_total",  // handoffs
                "k8supdater_seconds_since_last_successful_check",  // per object
            ]
            for family in families {
                #expect(metrics.contains("# TYPE \(family) "), "missing \(family) in:\n\(metrics.prefix(4000))")
            }
            #expect(
                metrics.contains(
                    #"k8supdater_seconds_since_last_successful_check{namespace="default",name="web-updater"}"#)
                    || metrics.contains(
                        #"k8supdater_seconds_since_last_successful_check{name="web-updater",namespace="default"}"#),
                "\(metrics.prefix(4000))")
            #expect(await process.terminate() == 0)
        }
    }
}
