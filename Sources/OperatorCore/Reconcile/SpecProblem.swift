/// Why a VersioningHandler cannot be checked as written: `Ready=False` with `reason` and a `message`
/// that tells the user what to change. Retried with backoff and at each scheduled check, so fixing the
/// cause elsewhere (creating the Deployment) is picked up without touching the object.
package struct SpecProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// UpperCamelCase, for the condition's `reason`.
    package var reason: String
    /// One sentence a user can act on.
    package var message: String

    package init(reason: String, message: String) {
        self.reason = reason
        self.message = message
    }

    package var description: String { "\(reason): \(message)" }

    static func unknownRegistry(_ kind: String) -> SpecProblem {
        SpecProblem(
            reason: "UnknownRegistryKind",
            message: "spec.containerregistry is \"\(kind)\"; use one of dockerhub, gitlab or oci")
    }

    static func deploymentNotFound(_ name: String, namespace: String) -> SpecProblem {
        SpecProblem(
            reason: "DeploymentNotFound",
            message: "Deployment \"\(name)\" does not exist in namespace \"\(namespace)\" (the VersioningHandler's "
                + "own namespace); create it or correct spec.deployment — it is checked again automatically")
    }

    static func invalidImage(container: String, image: String, problem: String) -> SpecProblem {
        SpecProblem(
            reason: "InvalidImage",
            message: "container \"\(container)\" has image \"\(image)\", which cannot be read as an image "
                + "reference (\(problem)); fix the Deployment's image")
    }

    static func invalidTagPattern(_ problem: String) -> SpecProblem {
        SpecProblem(
            reason: "InvalidTagPattern",
            message: "spec.tagPattern cannot be used: \(problem); give a regular expression with a named group "
                + "(?<version>…)")
    }

    static func containerNotFound(_ names: [String], deployment: String, available: [String]) -> SpecProblem {
        SpecProblem(
            reason: "ContainerNotFound",
            message: "spec.containers names \(names.map { "\"\($0)\"" }.joined(separator: ", ")), not in Deployment "
                + "\"\(deployment)\" (its containers: \(available.joined(separator: ", "))); correct spec.containers")
    }

    static func invalidFrontier(_ value: Int) -> SpecProblem {
        SpecProblem(
            reason: "InvalidFrontier",
            message: "spec.frontier is \(value); use 0 (always update) or a positive number of protected components")
    }

    static func registryMisconfigured(_ problem: String) -> SpecProblem {
        SpecProblem(reason: "RegistryMisconfigured", message: problem)
    }
}
