// Tests for Updater; filled by the issue that builds it.
