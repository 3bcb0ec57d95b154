import Vapor
import WhistleStore

/// One entry of the personal-data access log (who saw an appellant's contact, when, why).
struct DataAccessDTO: Content {
    var id: UUID
    var at: Date
    var purpose: String
    var appealId: UUID
    var appealNumber: String
    var personId: UUID
    var personName: String
    var unitId: UUID
    var unitName: String

    init(_ e: DataAccessEntry) {
        id = e.id; at = e.at; purpose = e.purpose; appealId = e.appealID; appealNumber = e.appealNumber
        personId = e.personID; personName = e.personName; unitId = e.unitID; unitName = e.unitName
    }
}
