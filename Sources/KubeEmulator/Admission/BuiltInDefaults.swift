/// The defaults kube-apiserver fills into the built-in kinds the operator reads back, so code that
/// compares desired and actual specs behaves here as against a real cluster.
enum BuiltInDefaults {
    static func apply(_ type: ServedResource, _ object: JSON) -> JSON {
        var object = object
        switch (type.group, type.plural) {
        case ("apps", "deployments"):
            setIfMissing(&object, ["spec", "replicas"], 1)
            setIfMissing(&object, ["spec", "revisionHistoryLimit"], 10)
            setIfMissing(&object, ["spec", "progressDeadlineSeconds"], 600)
            setIfMissing(&object, ["spec", "strategy", "type"], "RollingUpdate")
            if object[path: ["spec", "strategy", "type"]] == "RollingUpdate" {
                setIfMissing(&object, ["spec", "strategy", "rollingUpdate", "maxUnavailable"], "25%")
                setIfMissing(&object, ["spec", "strategy", "rollingUpdate", "maxSurge"], "25%")
            }
            object[path: ["spec", "template", "spec"]] = podSpecDefaults(object[path: ["spec", "template", "spec"]])
        case ("apps", "replicasets"):
            setIfMissing(&object, ["spec", "replicas"], 1)
            object[path: ["spec", "template", "spec"]] = podSpecDefaults(object[path: ["spec", "template", "spec"]])
        case ("apps", "statefulsets"):
            setIfMissing(&object, ["spec", "replicas"], 1)
            setIfMissing(&object, ["spec", "revisionHistoryLimit"], 10)
            setIfMissing(&object, ["spec", "podManagementPolicy"], "OrderedReady")
            setIfMissing(
                &object, ["spec", "updateStrategy"], ["type": "RollingUpdate", "rollingUpdate": ["partition": 0]])
            object[path: ["spec", "template", "spec"]] = podSpecDefaults(object[path: ["spec", "template", "spec"]])
        case ("", "pods"):
            object["spec"] = podSpecDefaults(object["spec"])
        case ("", "secrets"):
            setIfMissing(&object, ["type"], "Opaque")
        default:
            break
        }
        return object
    }

    private static func setIfMissing(_ object: inout JSON, _ path: [String], _ value: JSON) {
        if object[path: path] == nil { object[path: path] = value }
    }

    private static func podSpecDefaults(_ spec: JSON?) -> JSON? {
        guard var spec else { return nil }
        setIfMissing(&spec, ["restartPolicy"], "Always")
        setIfMissing(&spec, ["terminationGracePeriodSeconds"], 30)
        setIfMissing(&spec, ["dnsPolicy"], "ClusterFirst")
        setIfMissing(&spec, ["schedulerName"], "default-scheduler")
        setIfMissing(&spec, ["securityContext"], .emptyObject)
        for list in ["containers", "initContainers"] {
            guard let containers = spec[list]?.arrayValue else { continue }
            spec[list] = .array(
                containers.map { container in
                    var container = container
                    let image = container["image"]?.stringValue ?? ""
                    let tag = image.split(separator: "/").last.flatMap { $0.split(separator: ":").dropFirst().first }
                    let pullAlways = !image.contains("@") && (tag == nil || tag == "latest")
                    setIfMissing(&container, ["imagePullPolicy"], pullAlways ? "Always" : "IfNotPresent")
                    setIfMissing(&container, ["terminationMessagePath"], "/dev/termination-log")
                    setIfMissing(&container, ["terminationMessagePolicy"], "File")
                    setIfMissing(&container, ["resources"], .emptyObject)
                    return container
                })
        }
        return spec
    }
}
