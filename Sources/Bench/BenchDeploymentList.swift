import Foundation

// Also compiled by the Benchmarks/ package (ListDecodeBenchmarks, through a symbolic link): one body for
// `k8supdater-bench client` and the ordo-one/benchmark suite.

/// The relist body of the KubernetesClient benchmarks.
enum BenchDeploymentList {
    /// A `DeploymentList` shaped like the API server's (metadata, a pod template with two containers,
    /// status with a condition), about 1 KiB per item.
    static func make(count: Int) -> Data {
        var body = #"{"kind":"DeploymentList","apiVersion":"apps/v1","metadata":{"resourceVersion":"99999"},"items":["#
        for index in 0..<count {
            if index > 0 { body += "," }
            body += #"""
                {"metadata":{"name":"deploy-\#(index)","namespace":"ns-\#(index % 50)","uid":"4b6e1d1c-\#(index)",
                "resourceVersion":"\#(1000 + index)","generation":3,"creationTimestamp":"2026-11-25T16:48:46Z",
                "labels":{"app":"web-\#(index)","tier":"frontend"},
                "annotations":{"deployment.kubernetes.io/revision":"3"}},
                "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web-\#(index)"}},
                "template":{"metadata":{"labels":{"app":"web-\#(index)"},
                "annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-20T10:00:00Z"}},
                "spec":{"containers":[{"name":"app","image":"registry.example/app:1.\#(index % 30).4",
                "ports":[{"containerPort":8080}],"resources":{"limits":{"cpu":"500m"}}},
                {"name":"sidecar","image":"envoyproxy/envoy:v1.29.1"}],
                "imagePullSecrets":[{"name":"regcred"}]}}},
                "status":{"observedGeneration":3,"replicas":2,"updatedReplicas":2,"readyReplicas":2,
                "availableReplicas":2,"conditions":[{"type":"Available","status":"True",
                "lastUpdateTime":"2026-11-25T16:50:00Z","lastTransitionTime":"2026-11-25T16:50:00Z",
                "reason":"MinimumReplicasAvailable","message":"Deployment has minimum availability."}]}}
                """#
        }
        body += "]}"
        return Data(body.utf8)
    }
}
