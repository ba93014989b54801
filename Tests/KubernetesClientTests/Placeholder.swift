// Tests for KubernetesClient; filled by the issue that builds it.
