extension ImageReference {
    /// Docker's limit on the length of the normalised name (`registry/path`).
    package static let maximumNameLength = 255
    /// Docker's limit on the length of a tag.
    package static let maximumTagLength = 128

    /// Parses and normalises an image reference as `docker pull` and the kubelet do.
    ///
    /// Rules (distribution/reference `ParseNormalizedNamed`):
    /// - The first path segment is a registry only if it contains `.` or `:`, is `localhost`, or
    ///   has upper-case letters; otherwise the registry is `docker.io`.
    /// - `index.docker.io` is `docker.io`; a one-segment Docker Hub path gets `library/`.
    /// - The repository path is lowercase, each component `[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*`.
    /// - A tag is `[\w][\w.-]{0,127}`; a digest is `sha256|sha384|sha512:lowercase-hex`.
    /// - The normalised name is at most 255 characters.
    /// - Throws: ``ImageReferenceError`` naming the part that is wrong.
    package init(parsing text: String) throws(ImageReferenceError) {
        guard !text.isEmpty else { throw .empty }
        if text.utf8.count == 64, text.utf8.allSatisfy(Self.isLowerHex) { throw .looksLikeImageID(text) }

        var remainder = Substring(text)
        var digest: ImageDigest?
        if let at = remainder.firstIndex(of: "@") {
            digest = try ImageDigest(parsing: remainder[remainder.index(after: at)...])
            remainder = remainder[..<at]
        }
        var tag: String?
        if let colon = remainder.lastIndex(of: ":"), !remainder[colon...].contains("/") {
            let tagText = String(remainder[remainder.index(after: colon)...])
            guard Self.isValidTag(tagText) else { throw .invalidTag(tagText) }
            tag = tagText
            remainder = remainder[..<colon]
        }
        let writtenName = String(remainder)

        var registry = Self.dockerHub
        var path = writtenName
        if let slash = writtenName.firstIndex(of: "/") {
            let first = writtenName[..<slash]
            if first.contains(".") || first.contains(":") || first == "localhost" || first.lowercased() != first {
                registry = String(first)
                path = String(writtenName[writtenName.index(after: slash)...])
            }
        }
        if registry == "index.docker.io" { registry = Self.dockerHub }
        guard Self.isValidRegistry(registry) else { throw .invalidRegistry(registry) }
        if registry == Self.dockerHub, !path.contains("/") { path = "library/" + path }

        guard path.lowercased() == path else { throw .uppercaseRepository(path) }
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            guard Self.isValidPathComponent(component) else { throw .invalidPathComponent(String(component)) }
        }
        let length = registry.utf8.count + 1 + path.utf8.count
        guard length <= Self.maximumNameLength else { throw .nameTooLong(length: length) }

        self.init(registry: registry, path: path, tag: tag, digest: digest, writtenName: writtenName)
    }

    // MARK: Grammar pieces (ASCII only; anything else is invalid)

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
    }

    private static func isLowerAlphaNumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x7A).contains(byte)
    }

    private static func isAlphaNumeric(_ byte: UInt8) -> Bool {
        isLowerAlphaNumeric(byte) || (0x41...0x5A).contains(byte)
    }

    private static func isWordCharacter(_ byte: UInt8) -> Bool {
        isAlphaNumeric(byte) || byte == UInt8(ascii: "_")
    }

    /// `[\w][\w.-]{0,127}`
    package static func isValidTag(_ tag: some StringProtocol) -> Bool {
        // The string's own bytes when contiguous (native strings): a plain loop, not UTF8View indices.
        tag.utf8.withContiguousStorageIfAvailable { isValidTag(utf8: $0) } ?? isValidTag(utf8: tag.utf8)
    }

    /// `[\w][\w.-]{0,127}` over UTF-8 bytes.
    package static func isValidTag(utf8 bytes: some Collection<UInt8>) -> Bool {
        guard let first = bytes.first, isWordCharacter(first), bytes.count <= maximumTagLength else { return false }
        return bytes.allSatisfy { isWordCharacter($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// `[a-z0-9]+((?:[._]|__|[-]+)[a-z0-9]+)*`
    private static func isValidPathComponent(_ component: Substring) -> Bool {
        let bytes = Array(component.utf8)
        guard let first = bytes.first, let last = bytes.last, isLowerAlphaNumeric(first), isLowerAlphaNumeric(last)
        else { return false }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if isLowerAlphaNumeric(byte) {
                index += 1
                continue
            }
            // A separator run: ".", "_", "__" or "-"+, always followed by an alphanumeric.
            var end = index
            while end < bytes.count, !isLowerAlphaNumeric(bytes[end]) { end += 1 }
            let separator = bytes[index..<end]
            let isDashes = separator.allSatisfy { $0 == UInt8(ascii: "-") }
            let isValid =
                isDashes || separator.elementsEqual([UInt8(ascii: ".")]) || separator.elementsEqual([UInt8(ascii: "_")])
                || separator.elementsEqual([UInt8(ascii: "_"), UInt8(ascii: "_")])
            guard isValid else { return false }
            index = end
        }
        return true
    }

    /// `host[:port]` where host is a domain name, an IPv4 address or `[IPv6]`.
    private static func isValidRegistry(_ registry: String) -> Bool {
        var host = Substring(registry)
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            let address = host[host.index(after: host.startIndex)..<close]
            guard isValidIPv6(address) else { return false }
            host = host[host.index(after: close)...]
            if host.isEmpty { return true }
            guard host.first == ":" else { return false }
            return isValidPort(host.dropFirst())
        }
        if let colon = host.firstIndex(of: ":") {
            guard isValidPort(host[host.index(after: colon)...]) else { return false }
            host = host[..<colon]
        }
        guard !host.isEmpty else { return false }
        // Domain components: [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]. IPv4 fits this shape.
        for component in host.split(separator: ".", omittingEmptySubsequences: false) {
            let bytes = component.utf8
            guard let first = bytes.first, let last = bytes.last, isAlphaNumeric(first), isAlphaNumeric(last),
                bytes.allSatisfy({ isAlphaNumeric($0) || $0 == UInt8(ascii: "-") })
            else { return false }
        }
        return true
    }

    private static func isValidPort(_ port: Substring) -> Bool {
        !port.isEmpty && port.utf8.count <= 5 && port.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }

    /// Hex groups separated by `:` with at most one `::` (the rfc3986 shape, loosely: 2–8 groups).
    private static func isValidIPv6(_ address: Substring) -> Bool {
        guard address.utf8.count >= 2, address.utf8.allSatisfy({ isHex($0) || $0 == UInt8(ascii: ":") })
        else { return false }
        let compressed = address.ranges(of: "::").count
        guard compressed <= 1 else { return false }
        let groups = address.split(separator: ":", omittingEmptySubsequences: true)
        guard groups.allSatisfy({ $0.utf8.count <= 4 }) else { return false }
        return compressed == 1 ? groups.count <= 7 : groups.count == 8
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        isLowerHex(byte) || (0x41...0x46).contains(byte)
    }
}
