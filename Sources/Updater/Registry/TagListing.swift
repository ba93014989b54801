/// The tags of one repository as a registry listed them.
package struct TagListing: Sendable, Hashable {
    /// Deduplicated tags, in the order the registry returned them (not sorted).
    package var tags: [String]
    /// True when the registry had more tags than the client keeps (``RegistryLimits/maxTagsPerRepository``);
    /// `tags` then holds the last ones listed, which registries that order by time list newest.
    package var isTruncated: Bool
    /// How many distinct tags the registry listed before the cap was applied.
    package var listedCount: Int
    /// The registry's rate-limit reading after the lookup, when the registry sent one.
    package var rateLimit: RateLimitSignal?

    package init(tags: [String], isTruncated: Bool = false, listedCount: Int? = nil, rateLimit: RateLimitSignal? = nil)
    {
        self.tags = tags
        self.isTruncated = isTruncated
        self.listedCount = listedCount ?? tags.count
        self.rateLimit = rateLimit
    }
}
