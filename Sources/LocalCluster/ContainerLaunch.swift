package import KubernetesClient

/// The command line of a Pod's container as a local process, and the loopback ports that stand in
/// for its container ports (several replicas share one host, so each Pod gets its own).
///
/// The container's `command` (minus the entrypoint, which the runner's binary replaces) and `args`
/// are kept; the listen address flag (`--metrics-address`, the HTTP port of `/healthz`, `/readyz` and
/// `/metrics`) is rewritten to `127.0.0.1:<the Pod's port>`, or added when absent; the runner's extra
/// arguments (scaled-down lease timings) are appended.
package struct ContainerLaunch: Sendable, Hashable {
    /// The flag that sets the HTTP listen address.
    package static let addressFlag = "--metrics-address"
    /// The operator's port when the flag is absent (`0.0.0.0:8080`).
    package static let defaultPort = 8080

    package var arguments: [String]
    /// Container port → loopback port.
    package var ports: [Int: Int]
    /// The loopback port of the HTTP server (the address flag's port).
    package var httpPort: Int

    /// - Parameter allocate: returns a free loopback port (called once per container port).
    package init(
        container: RunnablePod.Container, extraArguments: [String], allocate: () throws -> Int
    ) throws {
        var ports: [Int: Int] = [:]
        for port in container.ports ?? [] where ports[port.containerPort] == nil {
            ports[port.containerPort] = try allocate()
        }
        func local(_ containerPort: Int) throws -> Int {
            if let mapped = ports[containerPort] { return mapped }
            let mapped = try allocate()
            ports[containerPort] = mapped
            return mapped
        }
        var arguments = Array((container.command ?? []).dropFirst()) + (container.args ?? [])
        var httpPort: Int?
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument.hasPrefix(Self.addressFlag + "=") {
                let port = try local(Self.port(of: String(argument.dropFirst(Self.addressFlag.count + 1))))
                arguments[index] = "\(Self.addressFlag)=127.0.0.1:\(port)"
                httpPort = port
            } else if argument == Self.addressFlag, index + 1 < arguments.count {
                let port = try local(Self.port(of: arguments[index + 1]))
                arguments[index + 1] = "127.0.0.1:\(port)"
                httpPort = port
                index += 1
            }
            index += 1
        }
        if httpPort == nil {
            let port = try local(Self.defaultPort)
            arguments += [Self.addressFlag, "127.0.0.1:\(port)"]
            httpPort = port
        }
        self.arguments = arguments + extraArguments
        self.ports = ports
        self.httpPort = httpPort ?? 0
    }

    /// The port of a `host:port` address (8080 when it has none).
    static func port(of address: String) -> Int {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            return defaultPort
        }
        return port
    }

    /// The loopback port of a probe's port (a number or a container port's name), nil when unknown.
    package func localPort(of port: IntOrString, in container: RunnablePod.Container) -> Int? {
        switch port {
        case .int(let number): return ports[number]
        case .string(let name):
            return (container.ports ?? []).first { $0.name == name }.flatMap { ports[$0.containerPort] }
        }
    }
}
