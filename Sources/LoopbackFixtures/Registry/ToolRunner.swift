package import Foundation
import Transport

/// Runs a quick system tool to completion (openssl, htpasswd, ssh-keygen) and returns its standard
/// output. It blocks its thread while the tool runs: long-running tools go through ``TestProcess``.
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

    /// `sha256:<hex>` of the bytes (libcrypto, in process).
    package static func sha256Digest(_ bytes: Data) throws -> String {
        do {
            return "sha256:\(try SHA256.hash(bytes).hex)"
        } catch {
            throw FixtureError("sha256 of a blob failed: \(error)")
        }
    }
}
