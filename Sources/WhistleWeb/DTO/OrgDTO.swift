import Vapor
import WhistleCore
import WhistleStore

struct UnitDTO: Content {
    var id: UUID
    var code: String
    var name: String
    var kind: UnitKind
    var kindName: String
    var parentId: UUID?
    var function: String?
    var stationedInId: UUID?

    init(_ unit: OrgUnit) {
        id = unit.id; code = unit.code; name = unit.name; kind = unit.kind; kindName = unit.kind.nameZh
        parentId = unit.parentID; function = unit.function; stationedInId = unit.stationedInID
    }
}

struct MembershipDTO: Content {
    var unit: UnitDTO
    var roles: [Role]
}

struct MeDTO: Content {
    var id: UUID
    var username: String
    var name: String
    var actingUnit: UnitDTO?
    var roles: [Role]
    var memberships: [MembershipDTO]
}

struct LoginDTO: Content {
    var token: String
    var expiresAt: Date
    var me: MeDTO
}
