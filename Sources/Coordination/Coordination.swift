// Lease-based leader election, membership, shard assignment and handoff. Filled by the coordination issue.
