// A strict in-memory Kubernetes API server with an in-process and an HTTP front. Filled by issue 3.
