import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WhistleCore
import WhistleStore
@testable import WhistleWeb

/// A real application over a fresh in-memory SQLite (or, with `WHISTLE_TEST_POSTGRES_URL`
/// set, a fresh schema of that PostgreSQL database), a manual clock, and a small district:
/// two streets, a community and grid, a department with an agency stationed in street 1,
/// a second department, a street section, and one account per role that the tests need.
struct TestApp {
    let app: Application
    let clock: ManualClock
    var tokens: [String: String] = [:]

    static let start = ISO8601DateFormatter().date(from: "2026-03-02T01:00:00Z")! // Monday 09:00 in Beijing

    static let unitsCSV = """
    code,name,kind,parent_code,function,stationed_in_code
    D1,清河区,district,,,
    S1,三里屯街道,street,D1,,
    S2,左家庄街道,street,D1,,
    C1,幸福社区,community,S1,,
    G1,幸福一网格,grid,C1,,
    SEC1,城市管理科,section,S1,city-section,
    DEP-UM,区城管执法局,department,D1,urban-management,
    AG-UM-S1,三里屯城管执法队,agency,DEP-UM,urban-management,S1
    DEP-MR,区市场监管局,department,D1,market-regulation,
    """

    static let peopleCSV = """
    username,name,phone,password,memberships
    admin,管理员,13800000000,password-admin,D1:admin
    supervisor,督查员,13800000009,password-supervisor,D1:districtSupervisor
    disp1,调度一,13800000001,password-disp1,S1:dispatcher
    disp2,调度二,13800000002,password-disp2,S2:dispatcher
    um,城管队员,13800000003,password-um,AG-UM-S1:unitStaff
    umlead,城管局长,13800000004,password-umlead,DEP-UM:unitLeader
    mr,市场监管员,13800000005,password-mr,DEP-MR:unitStaff
    grid,网格员,13800000006,password-grid,G1:gridWorker
    sec,城管科员,13800000007,password-sec,SEC1:unitStaff
    """

    static let catalogueCSV = """
    class_code,class_name,item_code,item_name,primary,supporting,limit_emergency,limit_urgent,limit_normal
    SAFE,安全隐患,SAFE-01,占道经营,function:urban-management,function:market-regulation,2h,24h,7wd
    """

    /// Runs `body` against a fresh application and tears it down.
    static func run(adjust: @escaping @Sendable (inout Config) -> Void = { _ in }, _ body: (inout TestApp) async throws -> Void) async throws {
        let clock = ManualClock(start)
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("whistle-test-\(UUID().uuidString)").path
        try await withApp(configure: { app in
            var config = Config()
            config.databasePath = ":memory:"
            config.dataDirectory = dataDir
            config.bcryptCost = 4
            config.photoLimitBytes = 64 * 1024
            TestPostgres.apply(to: &config)
            adjust(&config)
            try await configure(app, config: config, clock: clock)
            try await TestPostgres.createSchema(app, config)
            try await app.autoMigrate()
            let services = app.whistle
            let hasher = app.whistleState.hasher
            _ = try await services.importOrg(units: try OrgImport.csvUnits(unitsCSV), people: try OrgImport.csvPeople(peopleCSV), hasher: hasher)
            _ = try await services.importCatalogue(try CatalogueImport.csvRows(catalogueCSV))
        }) { app in
            var test = TestApp(app: app, clock: clock)
            do {
                try await body(&test)
            } catch {
                await TestPostgres.dropSchema(app)
                throw error
            }
            await TestPostgres.dropSchema(app)
        }
        try? FileManager.default.removeItem(atPath: dataDir)
    }

    // MARK: Requests

    /// Sends a request as `user` (signing in once), with an optional JSON body.
    @discardableResult
    mutating func send(_ method: HTTPMethod, _ path: String, as user: String? = nil, json: Any? = nil,
                       headers extra: [String: String] = [:]) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let user { headers.bearerAuthorization = BearerAuthorization(token: try await token(user)) }
        for (name, value) in extra { headers.replaceOrAdd(name: name, value: value) }
        var body: ByteBuffer?
        if let json {
            headers.contentType = .json
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
        }
        return try await app.testing().sendRequest(method, path, headers: headers, body: body)
    }

    mutating func token(_ user: String) async throws -> String {
        if let token = tokens[user] { return token }
        let password = "password-\(user)"
        let response = try await app.testing().sendRequest(.POST, "/api/v1/auth/login", headers: ["Content-Type": "application/json"],
                                                           body: ByteBuffer(string: #"{"username":"\#(user)","password":"\#(password)"}"#))
        #expect(response.status == .ok, "login \(user): \(response.body.string)")
        let token = try #require(try Self.object(response)["token"] as? String)
        tokens[user] = token
        return token
    }

    // MARK: Reading responses

    static func object(_ response: TestingHTTPResponse) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
        return try #require(value as? [String: Any], "expected a JSON object: \(response.body.string)")
    }

    static func array(_ response: TestingHTTPResponse) throws -> [[String: Any]] {
        let value = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
        return try #require(value as? [[String: Any]], "expected a JSON array: \(response.body.string)")
    }

    func unitID(_ code: String) async throws -> String {
        try #require(try await app.whistle.unit(code: code)).id.uuidString
    }

    func itemID(_ code: String) async throws -> String {
        try #require(try await app.whistle.catalogue().items.first { $0.code == code }).id.uuidString
    }

    /// Row counts of every table: a bad request must leave them all as they were.
    func counts() async throws -> [String: Int] {
        let sql = app.db as! any SQLDatabase
        var result: [String: Int] = [:]
        for table in ["units", "people", "memberships", "catalogue_classes", "catalogue_items", "photos", "appeals",
                      "whistles", "tasks", "extensions", "ratings", "events", "case_parties"] {
            let row = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()
            result[table] = try row?.decode(column: "n", as: Int.self) ?? -1
        }
        return result
    }

    /// A hash of every row of the mutable tables, to prove a failed request changed nothing.
    func fingerprint() async throws -> String {
        let sql = app.db as! any SQLDatabase
        var parts: [String] = []
        for table in ["appeals", "whistles", "tasks", "extensions", "ratings", "events", "case_parties", "photos", "units", "people"] {
            let rows = try await sql.raw("SELECT * FROM \(ident: table)").all()
            parts.append("\(table):\(rows.count)")
            // Sorted: PostgreSQL returns rows in no promised order.
            parts += rows.map { row in row.allColumns.sorted().map { Self.cell(row, $0) }.joined(separator: "|") }.sorted()
        }
        return parts.joined(separator: "\n")
    }

    static func cell(_ row: any SQLRow, _ column: String) -> String {
        if let text = try? row.decode(column: column, as: String.self) { return text }
        if let number = try? row.decode(column: column, as: Double.self) { return "\(number)" }
        if let id = try? row.decode(column: column, as: UUID.self) { return id.uuidString }
        if let date = try? row.decode(column: column, as: Date.self) { return "\(date.timeIntervalSince1970)" }
        if let flag = try? row.decode(column: column, as: Bool.self) { return "\(flag)" }
        return "-"
    }
}

extension TestingHTTPResponse {
    var json: [String: Any] { (try? TestApp.object(self)) ?? [:] }
    var code: String? { json["code"] as? String }
}
