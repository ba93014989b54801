import Foundation
import Transport

/// The working copies on disk: one directory per (repository URL, branch) under `root`, reused across
/// checks, used by one operation at a time, and bounded: after each use the least recently used idle
/// copies are removed until at most `maxCount` remain and they take at most `maxBytes` together
/// (the copy just used is kept, even when it alone is larger).
///
/// Copies left by an earlier process under `root` are adopted as the least recently used ones. `root`
/// is created (0700) at the first use, not before.
package actor WorkingCopyCache {
    package struct Limits: Sendable, Hashable {
        package var maxCount: Int
        package var maxBytes: Int64
        package init(maxCount: Int = 32, maxBytes: Int64 = 512 << 20) {
            self.maxCount = max(1, maxCount)
            self.maxBytes = max(0, maxBytes)
        }
    }

    private struct Entry {
        var lastUsed: UInt64
        var bytes: Int64
    }

    package nonisolated let root: String
    package let limits: Limits
    private var entries: [String: Entry] = [:]
    private var busy: Set<String> = []
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    private var tick: UInt64 = 1

    package init(root: String, limits: Limits = Limits()) {
        self.root = root
        self.limits = limits
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for name in names where name.hasPrefix("wc-") {
            entries[name] = Entry(lastUsed: 0, bytes: Self.size(of: "\(root)/\(name)"))
        }
        for name in names where name.hasPrefix(".session-") {
            try? FileManager.default.removeItem(atPath: "\(root)/\(name)")
        }
    }

    /// The directory name of a repository's working copy (stable across processes).
    package nonisolated static func key(url: String, branch: String) -> String {
        let digest = (try? SHA256.hash("\(url)\n\(branch)".utf8).hex) ?? String(UInt(bitPattern: url.hashValue))
        return "wc-\(digest.prefix(24))"
    }

    /// Runs `body` with the working copy's path, while no other operation uses the same copy.
    package nonisolated func withWorkingCopy<Result: Sendable>(
        url: String, branch: String, _ body: (String) async throws(GitCommandError) -> Result
    ) async throws(GitCommandError) -> Result {
        let key = Self.key(url: url, branch: branch)
        do {
            try FileManager.default.createDirectory(
                atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw GitCommandError(.failed, "the working copy directory \(root) cannot be created: \(error)")
        }
        await acquire(key)
        let result: Swift.Result<Result, GitCommandError>
        do throws(GitCommandError) {
            result = .success(try await body("\(root)/\(key)"))
        } catch {
            result = .failure(error)
        }
        await release(key)
        return try result.get()
    }

    /// The copies on disk now (names), most recently used first — for tests and metrics.
    package func copies() -> [String] {
        entries.sorted { $0.value.lastUsed > $1.value.lastUsed }.map(\.key)
    }

    private func acquire(_ key: String) async {
        while busy.contains(key) {
            await withCheckedContinuation { waiters[key, default: []].append($0) }
        }
        busy.insert(key)
    }

    private func release(_ key: String) {
        busy.remove(key)
        tick += 1
        let path = "\(root)/\(key)"
        if FileManager.default.fileExists(atPath: path) {
            entries[key] = Entry(lastUsed: tick, bytes: Self.size(of: path))
        } else {
            entries[key] = nil
        }
        if var queue = waiters[key], !queue.isEmpty {
            let next = queue.removeFirst()
            waiters[key] = queue.isEmpty ? nil : queue
            next.resume()
        }
        evict(keeping: key)
    }

    private func evict(keeping kept: String) {
        var total = entries.values.reduce(Int64(0)) { $0 + $1.bytes }
        let candidates = entries.filter { $0.key != kept && !busy.contains($0.key) }
            .sorted { $0.value.lastUsed < $1.value.lastUsed }
        for (key, entry) in candidates {
            guard entries.count > limits.maxCount || total > limits.maxBytes else { break }
            try? FileManager.default.removeItem(atPath: "\(root)/\(key)")
            entries[key] = nil
            total -= entry.bytes
        }
    }

    /// The bytes of the regular files under `path`.
    private static func size(of path: String) -> Int64 {
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return 0 }
        var total: Int64 = 0
        while let name = enumerator.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: "\(path)/\(name)")
            if attributes?[.type] as? FileAttributeType == .typeRegular {
                total += (attributes?[.size] as? NSNumber)?.int64Value ?? 0
            }
        }
        return total
    }
}
