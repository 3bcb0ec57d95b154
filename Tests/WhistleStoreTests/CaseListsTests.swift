import Foundation
import SQLKit
import Testing
import WhistleCore
@testable import WhistleStore

/// `SQLCaseLists` on the database under test (SQLite, or PostgreSQL with
/// `WHISTLE_TEST_POSTGRES_URL`): each filter, the actor's visibility, the order, the page and
/// its total, and a search that takes `%` and `_` literally.
@Suite struct CaseListsTests {
    static let now = Date(timeIntervalSince1970: 1_772_000_000)

    struct World {
        let services: Services
        let street: OrgUnit, other: OrgUnit, grid: OrgUnit, department: OrgUnit, department2: OrgUnit
        let dispatcher: Actor, stranger: Actor, staff: Actor
    }

    static func world(_ database: TestDatabase) async throws -> World {
        let services = database.services(now: now)
        _ = try await services.importOrg(units: [
            UnitRow(code: "D", name: "区", kind: "district"),
            UnitRow(code: "S1", name: "一街道", kind: "street", parentCode: "D"),
            UnitRow(code: "S2", name: "二街道", kind: "street", parentCode: "D"),
            UnitRow(code: "C1", name: "社区", kind: "community", parentCode: "S1"),
            UnitRow(code: "G1", name: "网格", kind: "grid", parentCode: "C1"),
            UnitRow(code: "DEP", name: "城管委", kind: "department", parentCode: "D", function: "urban-management"),
            UnitRow(code: "DEP2", name: "住建委", kind: "department", parentCode: "D", function: "housing"),
        ], people: [], hasher: TestHasher())
        let unit = { (code: String) in try #require(try await services.unit(code: code)) }
        let street = try await unit("S1"), other = try await unit("S2"), grid = try await unit("G1")
        let department = try await unit("DEP"), department2 = try await unit("DEP2")
        return World(services: services, street: street, other: other, grid: grid, department: department, department2: department2,
                     dispatcher: Actor(personID: UUID(), personName: "调度员", unit: street, roles: [.dispatcher]),
                     stranger: Actor(personID: UUID(), personName: "他人", unit: other, roles: [.dispatcher]),
                     staff: Actor(personID: UUID(), personName: "队员", unit: department, roles: [.unitStaff]))
    }

    static func appeal(_ w: World, _ description: String, channel: Channel = .hotline12345, urgency: Urgency = .normal,
                       address: String = "幸福路1号") async throws -> AppealRecord {
        try await w.services.receiveAppeal(NewAppeal(channel: channel, appellantName: "张三", appellantPhone: "13812345678",
                                                     gridID: w.grid.id, address: address, lat: 39.9, lon: 116.4,
                                                     description: description, urgency: urgency),
                                           by: w.dispatcher)
    }

    @Test func appealListFiltersSeesOnlyItsStreetCountsAndPages() async throws {
        try await TestDatabase.with { database in
            let w = try await Self.world(database)
            let s = w.services
            let plain = try await Self.appeal(w, "占道经营")
            let urgent = try await Self.appeal(w, "井盖缺失", channel: .petition, urgency: .urgent)
            let percent = try await Self.appeal(w, "噪音100%扰民")
            let dismissed = try await Self.appeal(w, "重复诉求_已处理")
            try await s.sql.raw("UPDATE appeals SET state = 'dismissed' WHERE id = \(bind: dismissed.id.rawValue)").run()
            let first = try PageRequest(page: 1, per: 20)

            let all = try await s.appeals(AppealFilter(), page: first, for: w.dispatcher)
            #expect(all.total == 4 && all.items.count == 4)
            #expect(try await s.appeals(AppealFilter(), page: first, for: w.stranger).total == 0, "another street's cases stay hidden")

            var f = AppealFilter()
            f.channel = .petition
            #expect(try await s.appeals(f, page: first, for: w.dispatcher).items.map(\.id) == [urgent.id])
            f = AppealFilter()
            f.state = .dismissed
            #expect(try await s.appeals(f, page: first, for: w.dispatcher).items.map(\.id) == [dismissed.id])
            f = AppealFilter()
            f.open = true
            #expect(try await s.appeals(f, page: first, for: w.dispatcher).total == 3)

            // A search matches text literally: "100%" is not a wildcard, "_" is not any letter.
            f = AppealFilter()
            f.query = "100%"
            #expect(try await s.appeals(f, page: first, for: w.dispatcher).items.map(\.id) == [percent.id])
            f.query = "%"
            #expect(try await s.appeals(f, page: first, for: w.dispatcher).items.map(\.id) == [percent.id])
            f.query = "诉求_已"
            #expect(try await s.appeals(f, page: first, for: w.dispatcher).items.map(\.id) == [dismissed.id])
            f.query = "求_"
            #expect(try await s.appeals(f, page: first, for: w.dispatcher).items.map(\.id) == [dismissed.id])
            f.query = plain.number
            #expect(try await s.appeals(f, page: first, for: w.dispatcher).items.map(\.id) == [plain.id])

            // Most urgent first: open before closed, urgent before normal.
            f = AppealFilter()
            f.order = .mostUrgent
            let urgentFirst = try await s.appeals(f, page: first, for: w.dispatcher).items.map(\.id)
            #expect(urgentFirst.first == urgent.id && urgentFirst.last == dismissed.id)
            // Newest first by default.
            #expect(all.items.map(\.id) == [dismissed.id, percent.id, urgent.id, plain.id])

            // Pages: the total rides on every page; past the end the total still counts.
            let second = try await s.appeals(AppealFilter(), page: try PageRequest(page: 2, per: 3), for: w.dispatcher)
            #expect(second.total == 4 && second.items.map(\.id) == [plain.id])
            let beyond = try await s.appeals(AppealFilter(), page: try PageRequest(page: 9, per: 3), for: w.dispatcher)
            #expect(beyond.total == 4 && beyond.items.isEmpty)

            // Overdue: open and past the deadline.
            f = AppealFilter()
            f.overdue = true
            #expect(try await s.appeals(f, page: first, for: w.dispatcher).total == 0)
            try await s.sql.raw("UPDATE appeals SET due_at = \(bind: Self.now.addingTimeInterval(-60)) WHERE id = \(bind: plain.id.rawValue)").run()
            #expect(try await s.appeals(f, page: first, for: w.dispatcher).items.map(\.id) == [plain.id])
            f.overdue = false
            #expect(!(try await s.appeals(f, page: first, for: w.dispatcher).items.map(\.id)).contains(plain.id))
        }
    }

    @Test func whistleListAndInboxFilterOrderAndCount() async throws {
        try await TestDatabase.with { database in
            let w = try await Self.world(database)
            let s = w.services
            let rally = try await s.blow(NewWhistle(kind: .rally, reason: .jointEnforcement, title: "占道", description: "早市",
                                                    address: "幸福路", responders: [ResponderInput(unitID: w.department.id)]),
                                         by: w.dispatcher)
            let emergency = try await s.blow(NewWhistle(kind: .emergency, reason: .jointEnforcement, title: "燃气", description: "泄漏",
                                                        address: "和平街", responders: [ResponderInput(unitID: w.department.id),
                                                                                       ResponderInput(unitID: w.department2.id)]),
                                             by: w.dispatcher)
            let first = try PageRequest(page: 1, per: 20)
            let all = try await s.whistles(WhistleFilter(), page: first, for: w.dispatcher)
            #expect(all.total == 2 && Set(all.items.map(\.id.rawValue)) == Set([rally.id.rawValue, emergency.id.rawValue]))
            var f = WhistleFilter()
            f.kind = .emergency
            #expect(try await s.whistles(f, page: first, for: w.dispatcher).items.map(\.id) == [emergency.id])
            f = WhistleFilter()
            f.unitID = w.department2.id
            #expect(try await s.whistles(f, page: first, for: w.dispatcher).items.map(\.id) == [emergency.id])
            #expect(try await s.whistles(WhistleFilter(), page: first, for: w.stranger).total == 0)
            // The department sees both cases it was summoned to; the other department one.
            #expect(try await s.whistles(WhistleFilter(), page: first, for: w.staff).total == 2)

            // The department's inbox: its two tasks, the nearest deadline first (the emergency's 30 minutes).
            let inbox = try await s.inbox(TaskFilter(), page: first, for: w.staff)
            #expect(inbox.total == 2)
            #expect(inbox.items.first?.whistleID == emergency.id)
            var tf = TaskFilter()
            tf.state = .acknowledged
            #expect(try await s.inbox(tf, page: first, for: w.staff).total == 0)
            tf = TaskFilter()
            tf.overdue = false
            #expect(try await s.inbox(tf, page: first, for: w.staff).total == 2)
            tf.overdue = true
            #expect(try await s.inbox(tf, page: first, for: w.staff).total == 0)
            // Closed whistles sink below live ones on the board.
            try await s.sql.raw("UPDATE whistles SET state = 'closed' WHERE id = \(bind: emergency.id.rawValue)").run()
            f = WhistleFilter()
            f.liveFirst = true
            #expect(try await s.whistles(f, page: first, for: w.dispatcher).items.map(\.id) == [rally.id, emergency.id])
        }
    }
}
