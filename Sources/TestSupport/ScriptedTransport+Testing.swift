package import LoopbackFixtures
package import Testing

extension ScriptedTransport {
    /// A scripted transport whose mismatched or unexpected requests are test failures.
    package convenience init(_ expectations: [Expectation] = []) {
        self.init(expectations, onMismatch: { Issue.record(Comment(rawValue: $0)) })
    }

    /// Records a failure for each expectation that no request used.
    package func verify(sourceLocation: SourceLocation = #_sourceLocation) {
        for expectation in unusedExpectations {
            Issue.record(
                "expected request \(expectation.method) \(expectation.path) never came", sourceLocation: sourceLocation)
        }
    }
}
