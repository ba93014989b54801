// Typed Kubernetes resources, verbs, watch and configuration over Transport. Filled by issue 4.
