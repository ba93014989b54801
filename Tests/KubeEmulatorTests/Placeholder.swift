// Tests for KubeEmulator; filled by the issue that builds it.
