import NIOCore
import Synchronization

/// The connections a listener accepted and has not handed to a handler yet.
///
/// NIO accepts connections as they arrive and buffers them until the serving loop asks for the
/// next one. When serving ends (cancelled, failed, or done with its count), the buffered ones
/// would stay open with nobody to serve them, and their clients would wait forever; they are
/// closed here instead, as are any accepted after serving ended.
final class UnservedConnections: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var isClosed = false
    }

    private let state = Mutex(State())

    /// Records a newly accepted connection (closed at once if serving already ended).
    func accepted(_ channel: any Channel) {
        let refused = state.withLock { state in
            if state.isClosed { return true }
            state.channels[ObjectIdentifier(channel)] = channel
            return false
        }
        if refused { channel.close(promise: nil) }
    }

    /// A connection now owned by a handler.
    func handedOut(_ channel: any Channel) {
        _ = state.withLock { $0.channels.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Serving ended: closes every connection not handed out, and any accepted from now on.
    func closeAll() {
        let left = state.withLock { state in
            state.isClosed = true
            defer { state.channels.removeAll() }
            return Array(state.channels.values)
        }
        for channel in left { channel.close(promise: nil) }
    }
}
