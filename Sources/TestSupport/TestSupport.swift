// Every test target imports TestSupport alone: it re-exports the loopback fixtures (which the demo and
// the benchmarks use too, without Swift Testing) and adds what only tests need.
@_exported public import LoopbackFixtures
