import ArgumentParser
import OperatorCore
import Updater

import struct Foundation.Data
import class Foundation.FileHandle
import class Foundation.JSONEncoder

/// `k8supdater decide`: previews the version decision for a tag, or sorts tags, so users can check
/// a frontier or a `tagPattern` before putting it in a VersioningHandler.
struct DecideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decide",
        abstract: "Preview a version decision, or sort tags, reading candidate tags one per line on stdin.",
        discussion: """
            Decide:  printf '1.25.3\\n1.25.4\\n1.26.0\\n' | k8supdater decide --current 1.25.3 --frontier 2
            Sort:    k8supdater decide --sort --flavor pep440 < tags.txt
            Empty lines and lines starting with '#' are ignored. Understood tags are printed in
            ascending order; rejected ones go to stderr with the reason. Exit status 0 on success,
            non-zero with a message on stderr when the input cannot be decided.
            """
    )

    @Option(help: "The current tag (required unless --sort).")
    var current: String?

    @Option(help: "Protect the first N version components: 0 = always update.")
    var frontier: Int = 1

    @Option(help: "Version ordering: docker (dotted numbers), semver or pep440.")
    var flavor: String = VersionFlavor.docker.rawValue

    @Option(help: "A regular expression matching whole tags, with a named group (?<version>…).")
    var tagPattern: String?

    @Option(help: "Update or NotifyOnly.")
    var mode: String = UpdateMode.update.rawValue

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Flag(help: "Print the understood tags in ascending order instead of deciding.")
    var sort = false

    func validate() throws {
        guard VersionFlavor(rawValue: flavor.lowercased()) != nil else {
            throw ValidationError("--flavor must be docker, semver or pep440, not \"\(flavor)\"")
        }
        guard UpdateMode(parsing: mode) != nil else {
            throw ValidationError("--mode must be Update or NotifyOnly, not \"\(mode)\"")
        }
        guard frontier >= 0 else { throw ValidationError("--frontier must be 0 or more, not \(frontier)") }
        if !sort, current == nil { throw ValidationError("--current is required (or use --sort)") }
    }

    func run() throws {
        let flavor = VersionFlavor(rawValue: flavor.lowercased()) ?? .docker
        let pattern: TagPattern?
        do {
            pattern = try tagPattern.map { (source) throws(TagPatternError) in try TagPattern(source) }
        } catch {
            Self.printError(error.description)
            throw ExitCode(2)
        }
        let parser = TagParser(flavor: flavor, pattern: pattern)
        let tags = Self.readTags()
        if sort {
            try runSort(parser: parser, tags: tags)
        } else {
            try runDecide(parser: parser, tags: tags)
        }
    }

    private func runSort(parser: TagParser, tags: [String]) throws {
        let (understood, rejected) = parser.parseAll(tags)
        let sorted = understood.sorted().map(\.raw)
        if json {
            try Self.printJSON(
                SortOutput(
                    sorted: sorted,
                    rejected: rejected.map { .init(tag: $0.tag, code: $0.reason.code, reason: $0.reason.description) }))
        } else {
            for tag in sorted { print(tag) }
        }
        for (tag, reason) in rejected { Self.printError("\(tag): \(reason)") }
    }

    private func runDecide(parser: TagParser, tags: [String]) throws {
        let policy = VersionPolicy(
            parser: parser, frontier: Frontier(frontier), mode: UpdateMode(parsing: mode) ?? .update)
        let decision: VersionDecision
        do {
            decision = try policy.decide(currentTag: current ?? "", availableTags: tags)
        } catch {
            Self.printError(error.description)
            throw ExitCode(1)
        }
        if json {
            try Self.printJSON(DecisionOutput(decision, policy: policy))
        } else {
            print(DecisionText.humanReadable(decision, policy: policy))
        }
    }

    /// Tags from stdin: one per line, trimmed, skipping empty lines and `#` comments.
    private static func readTags() -> [String] {
        var tags: [String] = []
        while let line = readLine(strippingNewline: true) {
            let trimmed = trim(line)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            tags.append(trimmed)
        }
        return tags
    }

    private static func trim(_ line: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let start = line.firstIndex(where: { !isSpace($0) }), let end = line.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(line[start...end])
    }

    private static func printError(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }

    private static func printJSON(_ output: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(output), as: UTF8.self))
    }
}
