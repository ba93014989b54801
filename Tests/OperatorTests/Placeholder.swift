// Tests for Operator; filled by the issue that builds it.
