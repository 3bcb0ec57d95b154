import Foundation
import Testing
@testable import WhistleCore

@Suite("Ranking")
struct RankingTests {
    func street(_ whistles: Int, closed: Int, appeals: Int = 0) -> Ranking.StreetRow {
        var c = BlowerCounts(); c.whistles = whistles; c.whistlesClosed = closed; c.appeals = appeals
        return Ranking.StreetRow(unitID: UUID(), counts: c)
    }

    @Test("ties share a rank; nothing to complete ranks last")
    func streetTies() {
        let rows = [street(4, closed: 2), street(10, closed: 5), street(0, closed: 0), street(3, closed: 3)]
        let ranked = Ranking.streets(rows, by: .completion)
        #expect(ranked.map(\.whistles) == [3, 10, 4, 0])
        #expect(ranked.map(\.rank) == [1, 2, 2, 4])
        #expect(Ranking.streets(rows, by: .whistles).map(\.rank) == [1, 2, 3, 4])
    }

    @Test("department score: known inputs, and missing components are left out")
    func departmentScore() {
        var c = ResponderCounts()
        c.summoned = 4; c.counted = 4; c.siteVisits = 4; c.acknowledgedOnTime = 4; c.arrivedOnTime = 2; c.completedOnTime = 3; c.reworked = 1
        c.grades = [.good: 1, .poor: 1]
        let row = Ranking.DepartmentRow(unitID: UUID(), counts: c)
        // 100 × (0.2×1 + 0.2×0.5 + 0.3×0.75 + 0.1×0.75 + 0.2×0.75) = 75
        #expect(abs(row.score! - 75) < 1e-9)
        var unrated = c; unrated.grades = [:]
        // Without ratings the other four weights (0.8) carry the score: 60 / 0.8 = 75.
        #expect(abs(Ranking.DepartmentRow(unitID: UUID(), counts: unrated).score! - 75) < 1e-9)
        #expect(Ranking.DepartmentRow(unitID: UUID(), counts: ResponderCounts()).score == nil)
    }
}
