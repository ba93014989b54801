package import Foundation

/// Runs a system tool to completion (openssl, htpasswd) and returns its standard output.
package enum ToolRunner {
    /// - Throws: ``FixtureError`` with the tool's stderr when it exits non-zero.
    package static func run(_ tool: String, _ arguments: [String], input: Data? = nil) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try SystemTool.require(tool))
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        let inputPipe = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
        try process.run()
        if let input {
            inputPipe.fileHandleForWriting.write(input)
            try inputPipe.fileHandleForWriting.close()
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixtureError("\(tool) \(arguments.first ?? "") failed: \(String(decoding: errorText, as: UTF8.self))")
        }
        return data
    }

    /// `sha256:<hex>` of the bytes (openssl dgst).
    package static func sha256Digest(_ bytes: Data) throws -> String {
        let output = try run("openssl", ["dgst", "-sha256", "-r"], input: bytes)
        let hex = String(decoding: output, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
        guard hex.count == 64 else { throw FixtureError("openssl dgst printed no sha256") }
        return "sha256:\(hex)"
    }
}
