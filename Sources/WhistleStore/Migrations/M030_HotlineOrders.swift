import FluentKit

/// The 12345 work-order exchange: `hotline_orders` (each platform order received once, by its
/// number, with the fingerprint of what was received and the appeal it became) and
/// `hotline_categories` (the platform's classifications mapped to catalogue items and
/// urgencies: data an admin edits). `revert` drops both.
struct M030_HotlineOrders: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("hotline_orders")
            .field("platform", .string, .required)
            .field("order_no", .string, .required)
            .field("appeal_id", .uuid, .required, .references("appeals", "id"))
            .field("digest", .string, .required)
            .field("received_at", .datetime, .required)
            .compositeIdentifier(over: "platform", "order_no")
            .create()
        try await db.schema("hotline_categories")
            .field("platform", .string, .required)
            .field("category", .string, .required)
            .field("item_code", .string)
            .field("urgency", .string)
            .compositeIdentifier(over: "platform", "category")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("hotline_categories").delete()
        try await db.schema("hotline_orders").delete()
    }
}
