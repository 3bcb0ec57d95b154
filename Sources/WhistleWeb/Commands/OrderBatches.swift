import Foundation
import WhistleCore

/// A JSON-lines file of hotline orders as batches of decoded orders, in file order: what
/// `whistle replay orders` writes, one transaction a batch. An actor, so the next batch is read
/// and decoded on another core while the one before is written.
actor OrderBatches {
    struct Batch: Sendable {
        var orders: [HotlineOrder] = []
        /// Lines that are not an order: line number and why.
        var unreadable: [(line: Int, message: String)] = []
    }

    private var reader: LineReader
    private let size: Int
    private let decoder: JSONDecoder
    private var lineNumber = 0

    init(_ reader: LineReader, size: Int) {
        self.reader = reader
        self.size = size
        decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
    }

    /// The next `size` orders (fewer at the end of the file), with the unreadable lines met on
    /// the way; nil after the last.
    func next() throws -> Batch? {
        var batch = Batch()
        var sawLine = false
        while batch.orders.count < size, let line = try reader.next() {
            sawLine = true
            lineNumber += 1
            guard line.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) else { continue }
            do {
                batch.orders.append(try decoder.decode(HotlineOrder.self, from: line))
            } catch {
                batch.unreadable.append((lineNumber, error.localizedDescription))
            }
        }
        return sawLine ? batch : nil
    }
}

/// Lines of a file read a megabyte at a time (no whole-file load: a year of orders is gigabytes).
struct LineReader {
    let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var done = false

    init(_ handle: FileHandle) { self.handle = handle }

    mutating func next() throws -> Data? {
        while true {
            if let newline = buffer[position...].firstIndex(of: 0x0A) {
                defer { position = newline + 1 }
                return Data(buffer[position..<newline])
            }
            if done {
                guard position < buffer.count else { return nil }
                defer { buffer = []; position = 0 }
                return Data(buffer[position...])
            }
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            buffer.removeFirst(position)
            position = 0
            if chunk.isEmpty { done = true } else { buffer.append(contentsOf: chunk) }
        }
    }
}
