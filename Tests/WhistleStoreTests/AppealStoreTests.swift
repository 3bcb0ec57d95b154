import FluentKit
import Foundation
import SQLKit
import Testing
import WhistleCore
@testable import WhistleStore

/// `SQLAppealStore` on the database under test (SQLite, or PostgreSQL with
/// `WHISTLE_TEST_POSTGRES_URL`): what an intake decision leaves in the tables, and the
/// duplicate candidates a reader may see.
@Suite struct AppealStoreTests {
    static let now = Date(timeIntervalSince1970: 1_772_000_000)

    static func seed(_ services: Services) async throws -> (street: OrgUnit, other: OrgUnit, grid: OrgUnit) {
        _ = try await services.importOrg(units: [
            UnitRow(code: "D", name: "区", kind: "district"),
            UnitRow(code: "S1", name: "一街道", kind: "street", parentCode: "D"),
            UnitRow(code: "S2", name: "二街道", kind: "street", parentCode: "D"),
            UnitRow(code: "C1", name: "社区", kind: "community", parentCode: "S1"),
            UnitRow(code: "G1", name: "网格", kind: "grid", parentCode: "C1"),
            UnitRow(code: "DEP", name: "城管委", kind: "department", parentCode: "D", function: "urban-management"),
        ], people: [], hasher: TestHasher())
        let street = try #require(try await services.unit(code: "S1"))
        let other = try #require(try await services.unit(code: "S2"))
        let grid = try #require(try await services.unit(code: "G1"))
        return (street, other, grid)
    }

    @Test func anIntakeStoresTheAppealItsPartyEventAndDayMarkerAndReadsBackTheSame() async throws {
        try await TestDatabase.with { database in
            let services = database.services(now: Self.now)
            let (street, _, grid) = try await Self.seed(services)
            let dispatcher = Actor(personID: UUID(), personName: "调度员", unit: street, roles: [.dispatcher])
            let input = NewAppeal(channel: .hotline12345, appellantName: "张三", appellantPhone: "13812345678", gridID: grid.id,
                                  address: "幸福路1号", lat: 39.9, lon: 116.4, description: "占道经营")
            let stored = try await services.receiveAppeal(input, by: dispatcher)
            #expect(stored.number.hasPrefix("A2026-"))
            let model = try #require(try await AppealModel.find(stored.id.rawValue, on: database.db))
            #expect(try model.record == stored, "the row reads back as the record that was stored")
            let parties = try await services.partyPaths(subject: stored.id.rawValue)
            #expect(parties == [street.path])
            let events = try await services.timeline(appealID: stored.id.rawValue)
            #expect(events.map(\.kind) == [EventKind.appealReceived.rawValue])
            #expect(events.first?.detail.contains(stored.number) == true)
            let markers = try await services.sql.raw("SELECT COUNT(*) AS n FROM metric_dirty").first()?.decode(column: "n", as: Int.self)
            #expect((markers ?? 0) >= 1)
            // A second intake draws the next number.
            let second = try await services.receiveAppeal(input, by: dispatcher)
            #expect(second.number > stored.number)
        }
    }

    @Test func duplicateHintsAreOpenRecentSameItemSameStreetAndVisible() async throws {
        try await TestDatabase.with { database in
            let services = database.services(now: Self.now)
            let (street, other, grid) = try await Self.seed(services)
            _ = try await services.importCatalogue([CatalogueRow(classCode: "street-order", className: "街面秩序", itemCode: "X-1",
                                                                 itemName: "占道经营", primary: "function:urban-management")]).items
            let item = try #require(try await services.catalogue().items.first)
            let dispatcher = Actor(personID: UUID(), personName: "调度员", unit: street, roles: [.dispatcher])
            let input = NewAppeal(channel: .hotline12345, appellantName: "张三", appellantPhone: "13812345678", gridID: grid.id,
                                  address: "幸福路1号", lat: 39.9, lon: 116.4, description: "占道经营", itemID: item.id)
            let first = try await services.receiveAppeal(input, by: dispatcher)
            let second = try await services.receiveAppeal(input, by: dispatcher)
            let hints = try await services.duplicateHints(of: second, for: dispatcher)
            #expect(hints.map(\.id) == [first.id])
            // Another street's dispatcher sees neither case, so no hint either.
            let stranger = Actor(personID: UUID(), personName: "他人", unit: other, roles: [.dispatcher])
            #expect(try await services.appealStore.duplicateHints(of: second, visibleTo: stranger).isEmpty)
            #expect(try await services.duplicateHints(of: second, for: stranger).isEmpty)
            // Below the street (a grid's worker) only the cases the grid is party to: each row checked.
            let gridWorker = Actor(personID: UUID(), personName: "网格员", unit: grid, roles: [.gridWorker])
            #expect(try await services.duplicateHints(of: second, for: gridWorker).isEmpty)
            try await services.sql.raw("""
                INSERT INTO case_parties (id, subject_id, unit_id, unit_path) VALUES (\(bind: UUID()), \(bind: first.id.rawValue), \(bind: grid.id), \(bind: grid.path))
                """).run()
            #expect(try await services.duplicateHints(of: second, for: gridWorker).map(\.id) == [first.id])
            // A dismissed appeal is no longer open: no hint.
            try await services.sql.raw("UPDATE appeals SET state = 'dismissed' WHERE id = \(bind: first.id.rawValue)").run()
            #expect(try await services.duplicateHints(of: second, for: dispatcher).isEmpty)
        }
    }
}
