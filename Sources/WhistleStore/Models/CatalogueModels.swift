import FluentKit
import Foundation
import WhistleCore

public final class CatalogueClassModel: Model, @unchecked Sendable {
    public static let schema = "catalogue_classes"
    @ID(key: .id) public var id: UUID?
    @Field(key: "code") public var code: String
    @Field(key: "name") public var name: String
    public init() {}
    public var domain: CatalogueClass { CatalogueClass(id: id!, code: code, name: name) }
}

public final class CatalogueItemModel: Model, @unchecked Sendable {
    public static let schema = "catalogue_items"
    @ID(key: .id) public var id: UUID?
    @Field(key: "code") public var code: String
    @Field(key: "class_code") public var classCode: String
    @Field(key: "name") public var name: String
    @Field(key: "primary_ref") public var primary: String
    /// Responsibilities joined by "|".
    @Field(key: "supporting_refs") public var supporting: String
    @OptionalField(key: "limit_emergency") public var limitEmergency: String?
    @OptionalField(key: "limit_urgent") public var limitUrgent: String?
    @OptionalField(key: "limit_normal") public var limitNormal: String?
    /// Offered to the public as an Open311 service (M029).
    @Field(key: "public") public var isPublic: Bool
    public init() {}

    public var domain: CatalogueItem {
        var limits: [Urgency: TimeSpan] = [:]
        limits[.emergency] = limitEmergency.flatMap(TimeSpan.init(parsing:))
        limits[.urgent] = limitUrgent.flatMap(TimeSpan.init(parsing:))
        limits[.normal] = limitNormal.flatMap(TimeSpan.init(parsing:))
        return CatalogueItem(id: id!, code: code, classCode: classCode, name: name,
                             primary: Responsibility(parsing: primary) ?? .function(primary),
                             supporting: supporting.split(separator: "|").compactMap { Responsibility(parsing: String($0)) },
                             limits: limits)
    }
}

public final class PhotoModel: Model, @unchecked Sendable {
    public static let schema = "photos"
    /// The SHA-256 of the content, hex: the file's name on disk.
    @ID(custom: "hash", generatedBy: .user) public var id: String?
    @Field(key: "content_type") public var contentType: String
    @Field(key: "size") public var size: Int
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
}
