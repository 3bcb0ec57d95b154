import Foundation
import Testing
import Vapor
import VaporTesting

/// Imports over the API: all or nothing, and an error names the line and the field.
@Suite struct ImportTests {
    func csv(_ t: inout TestApp, _ path: String, _ text: String, as user: String = "admin") async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: try await t.token(user))
        headers.contentType = HTTPMediaType(type: "text", subType: "csv")
        return try await t.app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: text))
    }

    @Test func csvUnitsWithAnErrorImportNothing() async throws {
        try await TestApp.run { t in
            let before = try await t.fingerprint()
            let bad = try await csv(&t, "/api/v1/admin/units/import", """
                code,name,kind,parent_code
                C9,新社区,community,S1
                G9,新网格,grid,C9
                G10,坏网格,grid,NOPE
                """)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.code == "import.invalid")
            #expect(bad.json["field"] as? String == "parent_code")
            #expect((bad.json["detail"] as? String)?.contains("4") == true)
            #expect(try await t.fingerprint() == before)
            let good = try await csv(&t, "/api/v1/admin/units/import", "code,name,kind,parent_code\nC9,新社区,community,S1\nG9,新网格,grid,C9\n")
            #expect(good.json["units"] as? Int == 2)
            #expect(try await t.send(.GET, "/api/v1/units?kind=grid", as: "admin").body.string.contains("新网格"))
        }
    }

    @Test func onlyAdminsImport() async throws {
        try await TestApp.run { t in
            let response = try await csv(&t, "/api/v1/admin/units/import", "code,name,kind,parent_code\nC9,新社区,community,S1\n", as: "disp1")
            #expect(response.status == .forbidden)
        }
    }

    @Test func jsonOrgImportWithPeopleAndLogin() async throws {
        try await TestApp.run { t in
            let response = try await t.send(.POST, "/api/v1/admin/org/import", as: "admin", json: [
                "units": [["code": "C9", "name": "新社区", "kind": "community", "parentCode": "S1"]],
                "people": [["username": "newgrid", "name": "新网格员", "password": "password-newgrid", "memberships": "C9:gridWorker"]]])
            #expect(response.json["people"] as? Int == 1)
            let me = try await t.send(.GET, "/api/v1/me", as: "newgrid").json
            #expect((me["actingUnit"] as? [String: Any])?["code"] as? String == "C9")
            #expect(me["roles"] as? [String] == ["gridWorker"])
            let duplicate = try await t.send(.POST, "/api/v1/admin/org/import", as: "admin", json: [
                "people": [["username": "newgrid", "name": "x", "password": "password-x", "memberships": "C9:gridWorker"]]])
            #expect(duplicate.code == "import.invalid")
            #expect(duplicate.json["field"] as? String == "username")
        }
    }

    @Test func catalogueRoundTripsThroughCSV() async throws {
        try await TestApp.run { t in
            let added = try await csv(&t, "/api/v1/admin/catalogue/import", """
                class_code,class_name,item_code,item_name,primary,supporting,limit_emergency,limit_urgent,limit_normal
                ECO,生态环境,ECO-01,"餐饮油烟, 扰民",function:urban-management,function:market-regulation|unit:DEP-MR,,24h,15wd
                """)
            #expect(added.json["items"] as? Int == 1)
            let exported = try await t.send(.GET, "/api/v1/catalogue.csv", as: "disp1")
            #expect(exported.headers.contentType?.subType == "csv")
            #expect(exported.body.string.contains("ECO-01,\"餐饮油烟, 扰民\",function:urban-management,function:market-regulation|unit:DEP-MR,,24h,15wd"))
            let unknown = try await csv(&t, "/api/v1/admin/catalogue/import", """
                class_code,class_name,item_code,item_name,primary
                ECO,生态环境,ECO-02,扬尘,function:nobody
                """)
            #expect(unknown.code == "import.invalid")
            #expect(unknown.json["field"] as? String == "primary")
        }
    }
}
