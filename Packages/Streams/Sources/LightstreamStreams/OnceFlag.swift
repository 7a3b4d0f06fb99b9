import Synchronization

/// A flag set once, from any thread: a background write's completion (`SinkPipeline`).
final class OnceFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}
