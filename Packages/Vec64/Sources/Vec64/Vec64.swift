/// Growable contiguous storage whose base address is always 64-byte aligned.
///
/// `Vec64` is the allocation primitive of Lightstream: Arrow value buffers, offsets and bitmaps
/// are built in one and then frozen into an immutable ``Buffer`` without a copy.
///
/// - The base address is a multiple of 64 and the capacity is padded to a multiple of 64 bytes,
///   so SIMD loops may read whole 64-byte blocks past `count` without leaving the allocation.
/// - It has value semantics with copy-on-write: copies share storage until one is mutated.
/// - `append` is amortised O(1) (capacity doubles).
///
/// ```swift
/// var v = Vec64<Int64>()
/// v.append(contentsOf: [1, 2, 3])
/// let buffer = v.freeze()   // no copy
/// ```
@frozen
public struct Vec64<Element: BitwiseCopyable> {
    @usableFromInline var storage: AlignedStorage
    @usableFromInline var _count: Int

    /// Creates an empty vector. It allocates one 64-byte block.
    @inlinable
    public init() {
        self.init(minimumCapacity: 0)
    }

    /// Creates an empty vector with room for at least `minimumCapacity` elements.
    @inlinable
    public init(minimumCapacity: Int) {
        precondition(minimumCapacity >= 0, "Vec64: negative capacity")
        let (bytes, overflow) = minimumCapacity.multipliedReportingOverflow(by: MemoryLayout<Element>.stride)
        precondition(!overflow, "Vec64: capacity overflows Int")
        storage = AlignedStorage(byteCapacity: bytes)
        _count = 0
    }

    /// Creates a vector of `count` copies of `value`.
    @inlinable
    public init(repeating value: Element, count: Int) {
        self.init(minimumCapacity: count)
        let p = storage.base.bindMemory(to: Element.self, capacity: count)
        p.initialize(repeating: value, count: count)
        _count = count
    }

    /// Creates a vector of `count` elements whose bytes are all zero.
    @inlinable
    public init(zeroedCount count: Int) {
        self.init(minimumCapacity: count)
        storage.base.initializeMemory(as: UInt8.self, repeating: 0, count: count * MemoryLayout<Element>.stride)
        _count = count
    }

    /// Creates a vector holding the elements of `elements`.
    @inlinable
    public init(_ elements: some Sequence<Element>) {
        self.init()
        append(contentsOf: elements)
    }

    /// The number of elements.
    @inlinable public var count: Int { _count }

    /// The number of elements the vector can hold without reallocating.
    @inlinable public var capacity: Int { storage.byteCapacity / MemoryLayout<Element>.stride }

    /// The number of bytes of the elements (`count * stride`).
    @inlinable public var byteCount: Int { _count * MemoryLayout<Element>.stride }

    /// Whether the base address is a multiple of `alignment` (always true for 64 and below).
    @inlinable public func isAligned(to alignment: Int) -> Bool {
        UInt(bitPattern: storage.base) % UInt(alignment) == 0
    }

    /// The storage as `Element`s: binding the raw allocation to `Element` (a no-op at run time)
    /// makes typed access through the pointer well-defined.
    @inlinable
    var elements: UnsafeMutablePointer<Element> {
        storage.base.bindMemory(to: Element.self, capacity: capacity)
    }

    /// Makes the storage unique and at least `minimumCapacity` elements large.
    @inlinable
    mutating func makeUniqueAndReserve(_ minimumCapacity: Int) {
        let unique = isKnownUniquelyReferenced(&storage)
        if unique && minimumCapacity <= capacity { return }
        var newCapacity = minimumCapacity
        if minimumCapacity > capacity {
            // Geometric growth keeps appends amortised O(1).
            newCapacity = Swift.max(minimumCapacity, capacity &* 2)
        } else {
            newCapacity = capacity
        }
        reallocate(elementCapacity: newCapacity)
    }

    @inlinable
    mutating func reallocate(elementCapacity: Int) {
        let (bytes, overflow) = elementCapacity.multipliedReportingOverflow(by: MemoryLayout<Element>.stride)
        precondition(!overflow, "Vec64: capacity overflows Int")
        let newStorage = AlignedStorage(byteCapacity: bytes)
        newStorage.base.copyMemory(from: storage.base, byteCount: byteCount)
        storage = newStorage
    }

    /// Reserves room for at least `minimumCapacity` elements.
    @inlinable
    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        if minimumCapacity > capacity || !isKnownUniquelyReferenced(&storage) {
            let unique = isKnownUniquelyReferenced(&storage)
            reallocate(elementCapacity: unique ? minimumCapacity : Swift.max(minimumCapacity, _count))
        }
    }

    /// Resizes to `newCount` elements, filling new slots with `value`.
    @inlinable
    public mutating func resize(to newCount: Int, fill value: Element) {
        precondition(newCount >= 0, "Vec64: negative count")
        if newCount > _count {
            makeUniqueAndReserve(newCount)
            (elements + _count).initialize(repeating: value, count: newCount - _count)
        } else {
            makeUniqueAndReserve(newCount)
        }
        _count = newCount
    }

    /// Removes all elements; keeps the capacity when the storage is not shared.
    @inlinable
    public mutating func removeAll(keepingCapacity: Bool = true) {
        if keepingCapacity && isKnownUniquelyReferenced(&storage) {
            _count = 0
        } else {
            self = Vec64()
        }
    }

    /// Removes and returns the last element, or `nil` when empty.
    @inlinable
    @discardableResult
    public mutating func popLast() -> Element? {
        guard _count > 0 else { return nil }
        let value = elements[_count - 1]
        _count -= 1
        return value
    }
}

extension Vec64: RandomAccessCollection, MutableCollection {
    public typealias Index = Int
    public typealias Indices = Range<Int>

    /// Always 0.
    @inlinable public var startIndex: Int { 0 }
    /// The number of elements.
    @inlinable public var endIndex: Int { _count }

    /// The element at `index`; traps when out of bounds, like `Array`.
    @inlinable
    public subscript(index: Int) -> Element {
        get {
            precondition(index >= 0 && index < _count, "Vec64: index out of range")
            return elements[index]
        }
        set {
            precondition(index >= 0 && index < _count, "Vec64: index out of range")
            makeUniqueAndReserve(_count)
            elements[index] = newValue
        }
    }

    /// Calls `body` with the elements' contiguous storage; never returns `nil`.
    @inlinable
    public func withContiguousStorageIfAvailable<R>(
        _ body: (UnsafeBufferPointer<Element>) throws -> R
    ) rethrows -> R? {
        try withUnsafeBufferPointer(body)
    }
}

/// A `Vec64` is shared across tasks only through copy-on-write storage that is never written
/// while shared, so it is `Sendable` whenever its elements are.
extension Vec64: @unchecked Sendable where Element: Sendable {}

extension Vec64: ExpressibleByArrayLiteral {
    /// Creates a vector holding the literal's elements.
    @inlinable
    public init(arrayLiteral elements: Element...) {
        self.init(elements)
    }
}

extension Vec64: Equatable where Element: Equatable {
    /// Two vectors are equal when they hold equal elements in the same order.
    @inlinable
    public static func == (lhs: Vec64, rhs: Vec64) -> Bool {
        lhs.elementsEqual(rhs)
    }
}

extension Vec64: CustomStringConvertible {
    /// The elements in the form `Vec64(1, 2, 3)`.
    public var description: String {
        "Vec64(" + map { "\($0)" }.joined(separator: ", ") + ")"
    }
}
