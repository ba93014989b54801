// Loopback servers, scripted transports and system-tool helpers shared by the test targets.
