import FluentKit
import Foundation
import WhistleCore

public final class AppealModel: Model, @unchecked Sendable {
    public static let schema = "appeals"
    @ID(key: .id) public var id: UUID?
    @Field(key: "number") public var number: String
    @Field(key: "tracking_code") public var trackingCode: String
    @Field(key: "district_id") public var districtID: UUID
    @Field(key: "receiving_unit_id") public var receivingUnitID: UUID
    @Field(key: "channel") public var channel: String
    @Field(key: "appellant_name") public var appellantName: String
    @Field(key: "appellant_phone") public var appellantPhone: String
    @OptionalField(key: "grid_id") public var gridID: UUID?
    @Field(key: "address") public var address: String
    @OptionalField(key: "lat") public var lat: Double?
    @OptionalField(key: "lon") public var lon: Double?
    @Field(key: "description") public var description: String
    @OptionalField(key: "item_id") public var itemID: UUID?
    @Field(key: "urgency") public var urgency: String
    @Field(key: "state") public var state: String
    @OptionalField(key: "handling_unit_id") public var handlingUnitID: UUID?
    @OptionalField(key: "whistle_id") public var whistleID: UUID?
    @OptionalField(key: "due_at") public var dueAt: Date?
    @OptionalField(key: "result") public var result: String?
    @OptionalField(key: "satisfaction") public var satisfaction: String?
    @Field(key: "reopen_count") public var reopenCount: Int
    /// Photo hashes joined by ",".
    @Field(key: "photos") public var photos: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "created_by") public var createdBy: UUID?
    @OptionalField(key: "resolved_at") public var resolvedAt: Date?
    @OptionalField(key: "closed_at") public var closedAt: Date?
    public init() {}

    public var photoList: [String] { photos.split(separator: ",").map(String.init) }

    /// The row as Core's typed record; an unknown enum value throws `CorruptColumn`.
    public var record: AppealRecord {
        get throws {
            AppealRecord(
                id: AppealID(try requireID()), number: number, trackingCode: trackingCode, districtID: districtID,
                receivingUnitID: receivingUnitID, channel: try column(channel, Channel.self, table: Self.schema, "channel"),
                appellantName: appellantName, appellantPhone: appellantPhone, gridID: gridID, address: address,
                lat: lat, lon: lon, description: description, itemID: itemID,
                urgency: try column(urgency, Urgency.self, table: Self.schema, "urgency"),
                state: try column(state, AppealState.self, table: Self.schema, "state"),
                handlingUnitID: handlingUnitID, whistleID: whistleID, dueAt: dueAt, result: result,
                satisfaction: satisfaction, reopenCount: reopenCount, photos: photoList, createdAt: createdAt,
                createdBy: createdBy, resolvedAt: resolvedAt, closedAt: closedAt)
        }
    }
}
