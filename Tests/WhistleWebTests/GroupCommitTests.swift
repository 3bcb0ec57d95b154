import FluentKit
import Foundation
import Testing
import WhistleCore
import WhistleStore

/// Group commit: concurrent writes share a transaction, but each is atomic on its own.
@Suite struct GroupCommitTests {
    struct Planned: Error {}

    @Test func aFailingWriteInABatchLeavesNothingAndTheOthersCommit() async throws {
        try await TestApp.run { t in
            let services = t.app.whistle
            let district = try #require(try await services.unit(code: "D1")).id
            // 40 writes at once; every third inserts a row and then fails.
            let results = await withTaskGroup(of: (Int, Bool).self) { group in
                for i in 0..<40 {
                    group.addTask {
                        do {
                            try await services.write { s in
                                let row = CalendarDayModel()
                                row.districtID = district
                                row.date = String(format: "2030-01-%02d", i % 28 + 1) + "-\(i)"
                                row.kind = "holiday"
                                row.name = "row \(i)"
                                try await row.create(on: s.db)
                                if i % 3 == 0 { throw Planned() }
                            }
                            return (i, true)
                        } catch { return (i, false) }
                    }
                }
                var all: [(Int, Bool)] = []
                for await result in group { all.append(result) }
                return all
            }
            #expect(results.filter(\.1).count == 26)
            let names = Set(try await CalendarDayModel.query(on: t.app.db).all().map(\.name))
            #expect(names.count == 26)
            for (i, ok) in results { #expect(names.contains("row \(i)") == ok) }
        }
    }
}
