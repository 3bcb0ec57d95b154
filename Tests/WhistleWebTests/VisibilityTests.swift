import Foundation
import Testing
import Vapor
import VaporTesting

/// A unit sees only cases it is party to; a parent sees its subtree; the admin sees all.
@Suite struct VisibilityTests {
    @Test func listsAndDetailsFollowTheOrgTree() async throws {
        try await TestApp.run { t in
            let appeal: [String: Any] = ["channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678",
                                         "address": "幸福路1号", "description": "噪音扰民"]
            let mine = try #require(try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: appeal).json["id"] as? String)
            let theirs = try #require(try await t.send(.POST, "/api/v1/appeals", as: "disp2", json: appeal).json["id"] as? String)
            func ids(_ user: String) async throws -> Set<String> {
                let page = try await t.send(.GET, "/api/v1/appeals", as: user).json
                return Set((page["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
            }
            #expect(try await ids("disp1") == [mine])
            #expect(try await ids("disp2") == [theirs])
            #expect(try await ids("admin") == [mine, theirs])
            #expect(try await ids("supervisor") == [mine, theirs])   // the district covers both streets
            #expect(try await ids("um") == [])                      // not party yet
            // Blowing makes the agency a party, and its department (the parent) sees it too.
            _ = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "appealId": mine, "kind": "rally", "reason": "noAuthority",
                "responders": [["unitId": try await t.unitID("AG-UM-S1")]]])
            #expect(try await ids("um") == [mine])
            #expect(try await ids("umlead") == [mine])
            #expect(try await ids("mr") == [])
            #expect(try await t.send(.GET, "/api/v1/appeals/\(theirs)", as: "um").status == .forbidden)
            // Lists are masked even for the receiving street; the detail is not, and the view is logged.
            let listed = try await t.send(.GET, "/api/v1/appeals", as: "disp1").json
            let first = (listed["items"] as? [[String: Any]])?.first?["appellant"] as? [String: Any]
            #expect(first?["phone"] as? String == "138****5678")
            #expect(first?["name"] as? String == "张*")
            let before = try await t.app.whistle.db.query(PersonalDataCount.self)
            _ = try await t.send(.GET, "/api/v1/appeals/\(mine)", as: "disp1")
            #expect(try await t.app.whistle.db.query(PersonalDataCount.self) == before + 1)
        }
    }

    @Test func filtersNarrowTheList() async throws {
        try await TestApp.run { t in
            let base: [String: Any] = ["appellantName": "张三", "appellantPhone": "13812345678", "address": "幸福路1号"]
            var a = base; a["channel"] = "hotline12345"; a["description"] = "噪音扰民"
            var b = base; b["channel"] = "gridWorker"; b["description"] = "占道经营"
            _ = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: a)
            t.clock.advance(by: 3 * 3600)   // tokens live 12 hours
            _ = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: b)
            func total(_ query: String) async throws -> Int? {
                try await t.send(.GET, "/api/v1/appeals?\(query)", as: "disp1").json["total"] as? Int
            }
            #expect(try await total("channel=gridWorker") == 1)
            #expect(try await total("state=received") == 2)
            #expect(try await total("state=closed") == 0)
            #expect(try await total("from=2026-03-02T02:00:00Z") == 1)
            #expect(try await total("to=2026-03-02T02:00:00Z") == 1)
            #expect(try await total("q=%E5%8D%A0%E9%81%93") == 1)   // 占道
            let page = try await t.send(.GET, "/api/v1/appeals?per=1&page=2", as: "disp1").json
            #expect(page["total"] as? Int == 2)
            #expect((page["items"] as? [[String: Any]])?.first?["description"] as? String == "噪音扰民")
        }
    }
}

import FluentKit
import WhistleStore

/// Counts rows of the personal-data access log.
enum PersonalDataCount {}
extension Database {
    func query(_: PersonalDataCount.Type) async throws -> Int { try await DataAccessModel.query(on: self).count() }
}

/// Who saw an appellant's contact can be audited, and only by those who supervise it.
@Suite struct PersonalDataAuditTests {
    @Test func viewsAreListedForSupervisorsAndAdminsOnly() async throws {
        try await TestApp.run { t in
            let appeal: [String: Any] = ["channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678",
                                         "address": "幸福路1号", "description": "噪音扰民"]
            let mine = try #require(try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: appeal).json["id"] as? String)
            let theirs = try #require(try await t.send(.POST, "/api/v1/appeals", as: "disp2", json: appeal).json["id"] as? String)
            t.clock.advance(by: 60)
            _ = try await t.send(.GET, "/api/v1/appeals/\(mine)", as: "disp1")
            t.clock.advance(by: 60)
            _ = try await t.send(.GET, "/api/v1/appeals/\(mine)", as: "disp1")
            t.clock.advance(by: 60)
            _ = try await t.send(.GET, "/api/v1/appeals/\(theirs)", as: "disp2")
            _ = try await t.send(.GET, "/api/v1/appeals/\(mine)", as: "supervisor")   // masked for the district: not logged

            let all = try await t.send(.GET, "/api/v1/personal-data-access", as: "admin")
            #expect(all.status == .ok)
            #expect(all.json["total"] as? Int == 3)
            let items = try #require(all.json["items"] as? [[String: Any]])
            #expect(items.map { $0["appealId"] as? String } == [theirs, mine, mine], "newest first")
            #expect(items.allSatisfy { ($0["appealNumber"] as? String)?.hasPrefix("A2026-") == true })
            #expect(items.allSatisfy { $0["purpose"] as? String == "detail" })
            #expect(Set(items.compactMap { $0["personName"] as? String }).count == 2)
            #expect(items.allSatisfy { ($0["unitName"] as? String)?.isEmpty == false })

            let one = try await t.send(.GET, "/api/v1/personal-data-access?appealId=\(mine)&per=1&page=2", as: "supervisor")
            #expect(one.status == .ok)
            #expect(one.json["total"] as? Int == 2)
            #expect((one.json["items"] as? [[String: Any]])?.count == 1)

            for user in ["disp1", "um", "umlead"] {
                let refused = try await t.send(.GET, "/api/v1/personal-data-access", as: user)
                #expect(refused.status == .forbidden, "\(user)")
            }
            let backwards = try await t.send(.GET, "/api/v1/personal-data-access?from=2026-03-03T00:00:00Z&to=2026-03-02T00:00:00Z",
                                             as: "admin")
            #expect(backwards.status == .unprocessableEntity)
            #expect(backwards.json["field"] as? String == "to")
        }
    }
}

/// Fluent logs each query's values at `debug`; the database's logger keeps them out of
/// debug logs (they hold appellants' names and phones) and lets them through at `trace`.
@Suite struct SQLLoggingTests {
    @Test func queriesWithPersonalDataAreNotLoggedAtDebug() async throws {
        try await TestApp.run { t in
            t.app.logger.logLevel = .debug
            #expect(t.app.whistle.db.logger.logLevel == .info)
            t.app.logger.logLevel = .trace
            #expect(t.app.whistle.db.logger.logLevel == .trace)
            t.app.logger.logLevel = .warning
            #expect(t.app.whistle.db.logger.logLevel == .warning)
        }
    }
}
