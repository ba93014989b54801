import ArgumentParser
import Transport

/// The `k8supdater` executable: the operator and its companion commands.
@main
struct K8sUpdaterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "k8supdater",
        abstract: "Keeps the container images of Kubernetes Deployments up to date.",
        discussion: "Users create VersioningHandler objects naming a Deployment; the operator looks up newer image "
            + "tags and, per the version frontier, updates the Deployment or notifies.",
        version: BuildInfo.version,
        subcommands: [
            VersionCommand.self,
            DecideCommand.self,
            CheckCommand.self,
            RunCommand.self,
        ]
    )
}

/// `k8supdater version`: prints the version.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")

    func run() {
        print("\(BuildInfo.name) \(BuildInfo.version)")
    }
}
