#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// How the kernel should expect a mapping to be read (`madvise(2)`).
public enum AccessHint: Sendable {
    /// No advice.
    case normal
    /// Front to back (`MADV_SEQUENTIAL`: aggressive read-ahead, pages dropped behind).
    case sequential
    /// In no particular order (`MADV_RANDOM`: no read-ahead).
    case random
    /// Soon, all of it (`MADV_WILLNEED`: starts reading the whole file in the background).
    case willNeed
}

/// Why a file could not be mapped.
public struct MemoryMapError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot map \(path): \(reason)" }
}

/// Read-only memory maps of whole files as ``Buffer``s.
public enum MemoryMap {
    private static let live = Atomic<Int>(0)

    /// The number of mappings not yet unmapped (for tests and diagnostics).
    public static var liveMappings: Int { live.load(ordering: .relaxed) }

    /// Maps the file at `path` read-only (`open(2)`, `fstat(2)`, `mmap(2)` with `PROT_READ` and
    /// `MAP_PRIVATE`; the descriptor is closed at once). The returned buffer and every slice of it
    /// keep the mapping alive; `munmap(2)` runs once, after the last of them is gone.
    public static func map(path: String, hint: AccessHint = .normal) throws(MemoryMapError) -> Buffer {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw MemoryMapError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw MemoryMapError(path: path, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw MemoryMapError(path: path, reason: "not a regular file") }
        let size = Int(info.st_size)
        guard size > 0 else { throw MemoryMapError(path: path, reason: "the file is empty") }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw MemoryMapError(path: path, reason: String(cString: strerror(errno)))
        }
        let advice: Int32? = switch hint {
        case .normal: nil
        case .sequential: MADV_SEQUENTIAL
        case .random: MADV_RANDOM
        case .willNeed: MADV_WILLNEED
        }
        if let advice { _ = madvise(base, size, advice) }
        live.add(1, ordering: .relaxed)
        return Buffer(unsafeForeignBytes: UnsafeRawBufferPointer(start: base, count: size)) { bytes in
            munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
            MemoryMap.live.subtract(1, ordering: .relaxed)
        }
    }
}
