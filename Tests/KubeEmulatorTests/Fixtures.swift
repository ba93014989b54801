import KubeEmulator

/// Objects the contract tests create.
enum Fixture {
    static func configMap(_ name: String, labels: [String: String] = [:], data: [String: String] = [:]) -> JSON {
        [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": .string(name), "labels": .object(labels.mapValues { .string($0) })],
            "data": .object(data.mapValues { .string($0) }),
        ]
    }

    static func deployment(_ name: String, image: String = "nginx:1.25.3", replicas: Int = 2) -> JSON {
        [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
            "spec": [
                "replicas": .int(replicas), "selector": ["matchLabels": ["app": .string(name)]],
                "template": [
                    "metadata": ["labels": ["app": .string(name)]],
                    "spec": [
                        "containers": [
                            ["name": "web", "image": .string(image)], ["name": "sidecar", "image": "busybox:1.36"],
                        ]
                    ],
                ],
            ],
        ]
    }

    static func statefulSet(_ name: String, replicas: Int = 1) -> JSON {
        var object = deployment(name, replicas: replicas)
        object["kind"] = "StatefulSet"
        object[path: ["spec", "serviceName"]] = .string(name)
        return object
    }

    /// A CRD `widgets.example.com` (namespaced, status subresource, printer columns, a validated and
    /// defaulted structural schema).
    static let widgetCRD: JSON = [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": ["name": "widgets.example.com"],
        "spec": [
            "group": "example.com", "scope": "Namespaced",
            "names": ["plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wd"]],
            "versions": [
                [
                    "name": "v1", "served": true, "storage": true,
                    "subresources": [
                        "status": .emptyObject,
                        "scale": ["specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas"],
                    ],
                    "additionalPrinterColumns": [
                        ["name": "Color", "type": "string", "jsonPath": ".spec.color"],
                        ["name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"],
                        ["name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"],
                    ],
                    "schema": [
                        "openAPIV3Schema": [
                            "type": "object",
                            "properties": [
                                "spec": [
                                    "type": "object", "required": ["color"],
                                    "properties": [
                                        "color": ["type": "string", "enum": ["red", "green", "blue"]],
                                        "replicas": ["type": "integer", "minimum": 0, "default": 1],
                                        "labels": [
                                            "type": "object", "additionalProperties": ["type": "string"],
                                        ],
                                    ],
                                ],
                                "status": [
                                    "type": "object",
                                    "properties": ["phase": ["type": "string"], "replicas": ["type": "integer"]],
                                ],
                            ],
                        ]
                    ],
                ]
            ],
        ],
    ]

    static func widget(_ name: String, color: String = "red", extra: [String: JSON] = [:]) -> JSON {
        var spec: [String: JSON] = ["color": .string(color)]
        spec.merge(extra) { _, new in new }
        return [
            "apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": .string(name)],
            "spec": .object(spec),
        ]
    }

    static let configMaps = "/api/v1/namespaces/default/configmaps"
    static let widgets = "/apis/example.com/v1/namespaces/default/widgets"
    static let deployments = "/apis/apps/v1/namespaces/default/deployments"
    static let statefulSets = "/apis/apps/v1/namespaces/default/statefulsets"
    static let pods = "/api/v1/namespaces/default/pods"
}
