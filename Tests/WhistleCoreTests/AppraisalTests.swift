import Foundation
import Testing
@testable import WhistleCore

@Suite("Appraisal weights and grades")
struct AppraisalTests {
    typealias Split = AppraisalWeights.Split

    @Test("the seeds' defaults are valid")
    func defaults() throws {
        try AppraisalWeights.defaults.validate()
        #expect(abs(AppraisalWeights.defaults.department.streetEvaluation - 1.0 / 3) < 1e-12)
        #expect(AppraisalWeights.defaults.agency.streetEvaluation == 0.6)
    }

    @Test("weights that do not add up, or break a floor, are refused naming the field")
    func refused() {
        var w = AppraisalWeights.defaults
        w.department = Split(streetEvaluation: 0.4, performance: 0.5)
        #expect(throws: WhistleError("appraisal.weights_sum", .invalid, field: "department", params: ["sum": "0.9"])) { try w.validate() }
        w.department = Split(streetEvaluation: 0.29, performance: 0.71)
        #expect(throws: WhistleError("appraisal.weight_floor", .invalid, field: "department.streetEvaluation",
                                     params: ["value": "0.29", "floor": "0.3"])) { try w.validate() }
        w.department = Split(streetEvaluation: 0.3, performance: 0.7)
        #expect(throws: Never.self) { try w.validate() }  // exactly the floor
        w.agency = Split(streetEvaluation: 0.5, performance: 0.5)
        #expect((try? w.validate()) == nil)
        w.agency = Split(streetEvaluation: 1.2, performance: -0.2)
        #expect(throws: WhistleError.invalid("agency.streetEvaluation", "a weight from 0 to 1")) { try w.validate() }
        w = .defaults; w.excellentCapPercent = 0
        #expect((try? w.validate()) == nil)
    }

    @Test("scores weigh the parts; excellent grades stop at the cap")
    func grades() {
        let split = Split(streetEvaluation: 0.6, performance: 0.4)
        let row = Appraisal.Row(unitID: UUID(), streetEvaluation: 100, performance: 50, split: split)
        #expect(abs(row.score! - 80) < 1e-9)
        #expect(Appraisal.Row(unitID: UUID(), streetEvaluation: nil, performance: 70, split: split).score == 70)
        #expect(Appraisal.Row(unitID: UUID(), streetEvaluation: nil, performance: nil, split: split).score == nil)
        // Five units tied on everything at 95: the 40% cap (2) cannot take the tie whole, so
        // none is 优秀 — never the first two rows or unit codes (changed on purpose, issue 14).
        let rows = (0..<5).map { _ in Appraisal.Row(unitID: UUID(), streetEvaluation: 95, performance: 95, split: split) }
        let graded = Appraisal.grade(rows, excellentCapPercent: 40)
        #expect(graded.filter { $0.grade == .excellent }.isEmpty && graded.filter { $0.grade == .good }.count == 5)
        #expect(Appraisal.grade(rows, excellentCapPercent: 100).filter { $0.grade == .excellent }.count == 5)
        // Equal scores, different street evaluations: the streets' grade decides, whatever the row order.
        let split50 = Split(streetEvaluation: 0.5, performance: 0.5)
        let a = Appraisal.Row(unitID: UUID(), streetEvaluation: 92, performance: 96, split: split50)   // 94
        let b = Appraisal.Row(unitID: UUID(), streetEvaluation: 96, performance: 92, split: split50)   // 94
        let c = Appraisal.Row(unitID: UUID(), streetEvaluation: 90, performance: 90, split: split50)   // 90
        for order in [[a, b, c], [c, b, a], [b, a, c]] {
            let g = Appraisal.grade(order, excellentCapPercent: 40)   // cap 1
            #expect(g.first { $0.unitID == b.unitID }?.grade == .excellent)
            #expect(g.filter { $0.grade == .excellent }.count == 1)
        }
        let mixed = Appraisal.grade([Appraisal.Row(unitID: UUID(), streetEvaluation: 50, performance: 50, split: split),
                                     Appraisal.Row(unitID: UUID(), streetEvaluation: 65, performance: 65, split: split),
                                     Appraisal.Row(unitID: UUID(), streetEvaluation: nil, performance: nil, split: split)],
                                    excellentCapPercent: 40)
        #expect(mixed.map(\.grade) == [.fail, .pass, nil] && mixed.map(\.rank) == [2, 1, 0])
    }
}
