import Synchronization

/// One result per concurrent task (a column chunk decoded or encoded), written once each.
final class ResultSlots<Value: Sendable>: Sendable {
    private let results: Mutex<[Result<Value, ParquetError>?]>

    init(count: Int) {
        results = Mutex(Array(repeating: nil, count: count))
    }

    func set(_ index: Int, _ result: Result<Value, ParquetError>) {
        results.withLock { $0[index] = result }
    }

    func get(_ index: Int) -> Result<Value, ParquetError> {
        results.withLock { $0[index]! }
    }
}
