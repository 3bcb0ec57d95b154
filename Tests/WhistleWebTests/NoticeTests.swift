import Foundation
import Testing
import Vapor
import VaporTesting

/// The ranking, the public notice and its CSV and XLSX exports.
@Suite struct NoticeTests {
    /// Reads a zip's entries by walking its local headers (stored or not, names and sizes).
    static func unzip(_ data: Data) throws -> [String: Data] {
        let bytes = [UInt8](data)
        func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        var entries: [String: Data] = [:]
        var i = 0
        while i + 30 <= bytes.count, u32(i) == 0x0403_4B50 {
            let method = u16(i + 8), size = u32(i + 18), nameLength = u16(i + 26), extra = u16(i + 28)
            #expect(method == 0, "stored entries")
            let name = String(decoding: bytes[(i + 30)..<(i + 30 + nameLength)], as: UTF8.self)
            let start = i + 30 + nameLength + extra
            entries[name] = Data(bytes[start..<(start + size)])
            i = start + size
        }
        #expect(u32(bytes.count - 22) == 0x0605_4B50, "end of central directory")
        #expect(u16(bytes.count - 22 + 10) == entries.count)
        return entries
    }

    /// Inline-string and number cells of a sheet, row by row.
    static func cells(_ sheet: String) -> [[String]] {
        sheet.components(separatedBy: "<row ").dropFirst().map { row in
            row.components(separatedBy: "<c ").dropFirst().map { cell in
                if let t = cell.range(of: "<t xml:space=\"preserve\">"), let end = cell.range(of: "</t>") {
                    return String(cell[t.upperBound..<end.lowerBound])
                }
                if let v = cell.range(of: "<v>"), let end = cell.range(of: "</v>") { return String(cell[v.upperBound..<end.lowerBound]) }
                return ""
            }
        }
    }

    @Test func quarterNoticeAsJSONCSVXLSXAndPage() async throws {
        try await TestApp.run { t in
            _ = try await MetricsAPITests.closedWhistle(&t)
            let ranking = try await t.send(.GET, "/api/v1/rankings?period=2026-Q1&by=whistles", as: "supervisor")
            #expect(ranking.status == .ok, "\(ranking.body.string)")
            let streets = try #require(ranking.json["streets"] as? [[String: Any]])
            #expect(streets.map { $0["name"] as? String } == ["三里屯街道", "左家庄街道"])
            #expect(streets.first?["rank"] as? Int == 1 && streets.last?["rank"] as? Int == 2)
            let departments = try #require(ranking.json["departments"] as? [[String: Any]])
            // The urban-management department (its agency on time everywhere) outranks the late market office.
            #expect(departments.first?["name"] as? String == "区城管执法局")
            #expect(((departments.first?["score"] as? Double) ?? 0) > ((departments.dropFirst().first?["score"] as? Double) ?? 100))
            #expect(try await t.send(.GET, "/api/v1/rankings?period=2026-Q1&by=size", as: "supervisor").json["field"] as? String == "by")

            // Public: no sign-in needed.
            let json = try await t.send(.GET, "/api/v1/notices/2026/Q1")
            #expect(json.status == .ok && (json.json["period"] as? [String: Any])?["label"] as? String == "2026-Q1")
            let csv = try await t.send(.GET, "/api/v1/notices/2026/Q1?format=csv")
            #expect(csv.headers.contentType?.subType == "csv")
            let text = csv.body.string
            #expect(text.contains("街道排名") && text.contains("1,三里屯街道,1,1,0,") && text.contains("区市场监管局"))

            let xlsx = try await t.send(.GET, "/api/v1/notices/2026/Q1?format=xlsx")
            #expect(xlsx.headers.contentType?.subType == "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            let files = try Self.unzip(Data(buffer: xlsx.body))
            for name in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                         "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"] {
                #expect(files[name] != nil, "\(name) in the workbook")
            }
            let workbook = String(decoding: try #require(files["xl/workbook.xml"]), as: UTF8.self)
            #expect(workbook.contains("name=\"街道排名\"") && workbook.contains("name=\"部门排名\""))
            let sheet = Self.cells(String(decoding: try #require(files["xl/worksheets/sheet1.xml"]), as: UTF8.self))
            #expect(sheet[1].first == "名次" && sheet[1][1] == "街道")
            #expect(sheet[2].prefix(4) == ["1.0", "三里屯街道", "1.0", "1.0"])
            #expect(sheet[2][6] == "1.0")  // completion 100%, a number the spreadsheet can format
            let departmentsSheet = Self.cells(String(decoding: try #require(files["xl/worksheets/sheet2.xml"]), as: UTF8.self))
            #expect(departmentsSheet.dropFirst(2).map { $0[1] }.contains("区市场监管局"))

            let page = try await t.send(.GET, "/notices/2026/Q1")
            #expect(page.status == .ok && page.headers.contentType == .html)
            #expect(page.body.string.contains("<h1>清河区 2026-Q1 街乡吹哨、部门报到 排名公示</h1>"))
            #expect(page.body.string.contains("<td>100.0%</td>"))
            #expect(try await t.send(.GET, "/notices/2026/Q7").status == .unprocessableEntity)
            #expect(try await t.send(.GET, "/api/v1/notices/2026/Q1?format=pdf").json["field"] as? String == "format")
        }
    }

    /// The printable notice prints its period in Beijing days and marks a running quarter.
    @Test func noticePeriodIsInBeijingDaysAndARunningQuarterIsPartial() async throws {
        try await TestApp.run { t in
            // TestApp's clock: 2026-03-02, inside Q1.
            let q3 = try await t.send(.GET, "/notices/2026/Q3")
            #expect(q3.body.string.contains("2026-07-01 至 2026-09-30"), "\(q3.body.string.prefix(600))")
            #expect(!q3.body.string.contains("阶段性"))
            let q1 = try await t.send(.GET, "/notices/2026/Q1")
            #expect(q1.body.string.contains("2026-01-01 至 2026-03-31"))
            #expect(q1.body.string.contains("阶段性统计"), "a running quarter is not marked partial")
            let csv = try await t.send(.GET, "/api/v1/notices/2026/Q1?format=csv")
            #expect(csv.body.string.contains("阶段性统计"))
        }
    }
}
