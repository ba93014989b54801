// Tests for Coordination; filled by the issue that builds it.
