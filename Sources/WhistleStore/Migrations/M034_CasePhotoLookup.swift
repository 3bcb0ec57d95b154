import FluentKit

/// Serving a photo asks which cases hold it, by the photo's hash: `case_photos` was indexed
/// only by case (appeal, whistle, task), so that question was answered — before this index —
/// by scanning every appeal's photo list and every event's detail for the hash. `revert`
/// drops the index.
struct M034_CasePhotoLookup: AsyncMigration {
    static let indexes = [ColumnIndex(name: "ix_case_photos_photo", table: "case_photos", column: "photo_id")]

    func prepare(on db: any Database) async throws { try await ColumnIndex.create(Self.indexes, on: db) }
    func revert(on db: any Database) async throws { try await ColumnIndex.drop(Self.indexes, on: db) }
}
