import WhistleCore

/// A page of a list: which one the caller asked for, and what it holds.
public struct PageRequest: Sendable {
    /// The highest page number accepted: far beyond any real list, and low enough that the
    /// row offset (page × per) cannot overflow.
    public static let maxPage = 1_000_000

    public var page: Int
    public var per: Int
    public init(page: Int?, per: Int?) throws {
        self.page = page ?? 1
        self.per = per ?? 20
        guard (1...Self.maxPage).contains(self.page) else {
            throw WhistleError.invalid("page", "must be between 1 and \(Self.maxPage)")
        }
        guard (1...200).contains(self.per) else { throw WhistleError.invalid("per", "must be between 1 and 200") }
    }

    /// The rows of this page (their offsets).
    public var rows: Range<Int> { (page - 1) * per ..< page * per }
}

public struct Page<T: Sendable>: Sendable {
    public var items: [T]
    public var page: Int
    public var per: Int
    public var total: Int
}
