import Foundation
import Testing
@testable import WhistleCore

@Suite("Metric formulas and periods")
struct MetricFormulaTests {
    let unit = UUID(), other = UUID()

    func figure(_ figures: [MetricFigure], _ id: MetricID) -> MetricFigure { figures.first { $0.metric == id }! }

    @Test("hand-built tasks give the known responder rates")
    func responderRates() {
        let day = sh(2026, 2, 10, 9)
        func task(_ state: TaskState, _ edit: (inout TaskFact) -> Void = { _ in }) -> TaskFact {
            var t = TaskFact(unitID: unit, summonedAt: day, state: state); edit(&t); return t
        }
        let tasks = [
            // verified, everything on time, first attempt: instant
            task(.verified) { $0.acknowledged = true; $0.acknowledgedOnTime = true; $0.arrivedOnTime = true; $0.completedOnTime = true },
            // verified on time after rework: on-time closure but not instant
            task(.verified) { $0.acknowledged = true; $0.acknowledgedOnTime = true; $0.completedOnTime = true; $0.reworked = true },
            // verified late, extended, acknowledged late
            task(.verified) { $0.acknowledged = true; $0.extended = true },
            // still open: acknowledged on time
            task(.onSite) { $0.acknowledged = true; $0.acknowledgedOnTime = true; $0.arrivedOnTime = true },
            // objected then reassigned: out of the base, but its objection counts
            task(.reassigned) { $0.objected = true; $0.acknowledged = false },
            // withdrawn after acknowledging: out of the base
            task(.cancelled) { $0.acknowledged = true; $0.acknowledgedOnTime = true },
            // another month: not in February
            TaskFact(unitID: unit, summonedAt: sh(2026, 3, 1, 0, 0, 1), state: .summoned),
            // a second unit
            TaskFact(unitID: other, summonedAt: day, state: .summoned),
        ]
        let ratings = [UnitMark(unitID: unit, at: day, value: Grade.good), UnitMark(unitID: unit, at: day, value: .poor),
                       UnitMark(unitID: unit, at: sh(2026, 1, 31, 23, 59), value: .good)]
        let feb = MetricPeriod.month(2026, 2, timeZone: shanghai)
        let counts = MetricTally.tally(tasks: tasks, appeals: [], whistles: [], supervision: [UnitMark(unitID: unit, at: day, value: 1)],
                                       ratings: ratings, in: feb)
        let c = counts[unit]!.responder
        #expect(c.summoned == 6 && c.counted == 4)
        let f = MetricFormulas.responder(c)
        #expect(figure(f, .reportRate).value == 1.0)
        #expect(figure(f, .onTimeReportRate).value == 0.75)
        #expect(figure(f, .arrivalRate).value == 0.5)
        #expect(figure(f, .onTimeClosureRate).value == 0.5)
        #expect(figure(f, .instantCompletionRate).value == 0.25)
        #expect(figure(f, .reworkRate).value == 0.25 && figure(f, .extensionRate).value == 0.25)
        #expect(figure(f, .objectionRate).numerator == 1 && figure(f, .objectionRate).denominator == 6)
        #expect(figure(f, .supervisionOrders).value == 1)
        #expect(figure(f, .goodShare).value == 0.5)
        #expect(counts[other]!.responder.counted == 1)
        #expect(MetricFormulas.responder(counts[other]!.responder).first { $0.metric == .goodShare }!.value == nil)
    }

    @Test("hand-built appeals and whistles give the known blower rates")
    func blowerRates() {
        let day = sh(2026, 5, 5, 10)
        func appeal(_ state: AppealState, takenUp: Bool = true, _ s: Satisfaction? = nil) -> AppealFact {
            var a = AppealFact(unitID: unit, receivedAt: day, state: state); a.takenUp = takenUp; a.closingSatisfaction = s; return a
        }
        let appeals = [appeal(.received, takenUp: false), appeal(.received), appeal(.dismissed), appeal(.handling),
                       appeal(.resolved), appeal(.closed, .satisfied), appeal(.closed, .basicallySatisfied), appeal(.closed, .dissatisfied)]
        let whistles = [WhistleFact(unitID: unit, blownAt: day, kind: "rally", level: "street", classCode: "SAFE", state: .closed),
                        WhistleFact(unitID: unit, blownAt: day, kind: "rally", level: "street", classCode: "-", state: .cancelled),
                        WhistleFact(unitID: unit, blownAt: day, kind: "emergency", level: "street", classCode: "SAFE", state: .open)]
        let c = MetricTally.tally(tasks: [], appeals: appeals, whistles: whistles, supervision: [], ratings: [],
                                  in: .quarter(2026, 2, timeZone: shanghai))[unit]!.blower
        let f = MetricFormulas.blower(c)
        #expect(figure(f, .appeals).value == 8)
        #expect(figure(f, .responseRate).value == 7.0 / 8)
        #expect(figure(f, .resolutionRate).numerator == 4 && figure(f, .resolutionRate).denominator == 7)
        #expect(figure(f, .satisfactionRate).value == 2.0 / 3)
        #expect(figure(f, .whistleClosureRate).value == 0.5)
        #expect(c.byKind == ["rally": 2, "emergency": 1] && c.byClass == ["SAFE": 2, "-": 1] && c.byLevel == ["street": 3])
    }

    @Test("counts roll up the org tree by path and add exactly")
    func rollUp() {
        let d = UUID(), dep = UUID(), agency = UUID()
        var a = UnitCounts(); a.responder.summoned = 2; a.responder.grades = [.good: 1]
        var b = UnitCounts(); b.responder.summoned = 3; b.responder.grades = [.good: 2, .poor: 1]
        let paths = [d: "/d/", dep: "/d/dep/", agency: "/d/dep/ag/"]
        let rolled = [dep: a, agency: b].rolledUp(paths: paths)
        #expect(rolled[dep]!.responder.summoned == 5 && rolled[d]!.responder.grades == [.good: 3, .poor: 1])
        #expect(rolled[agency]!.responder.summoned == 3)
    }

    @Test("periods parse, are half-open in Beijing time, and a quarter is three months")
    func periods() throws {
        let q = try MetricPeriod.parse("2026-q1", timeZone: shanghai)
        #expect(q.kind == .quarter && q.start == sh(2026, 1, 1) && q.end == sh(2026, 4, 1))
        #expect(q.contains(sh(2026, 3, 31, 23, 59, 59)) && !q.contains(sh(2026, 4, 1)))
        #expect(q.months(timeZone: shanghai)!.map(\.label) == ["2026-01", "2026-02", "2026-03"])
        let y = try MetricPeriod.parse("2025", timeZone: shanghai)
        #expect(y.months(timeZone: shanghai)!.count == 12 && y.end == sh(2026, 1, 1))
        #expect(try MetricPeriod.parse("2026-12", timeZone: shanghai).end == sh(2027, 1, 1))
        for bad in ["2026-Q5", "2026-13", "26", "2026-03-01", "x"] {
            #expect(throws: WhistleError.self) { try MetricPeriod.parse(bad, timeZone: shanghai) }
        }
        #expect(throws: WhistleError.self) { try MetricPeriod.range(from: sh(2026, 2, 1), to: sh(2026, 1, 1)) }
    }

    @Test("every metric has a name in both languages and a written definition")
    func definitions() {
        for id in MetricID.allCases {
            #expect(!id.nameZh.isEmpty && !id.nameEn.isEmpty && !id.definition.numerator.isEmpty)
            #expect((id.definition.denominator != nil) == id.isRate)
        }
    }

    @Test("every metric has a Chinese definition with the same parts as the English one")
    func chineseDefinitions() {
        func hasCJK(_ text: String) -> Bool {
            text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
        }
        for id in MetricID.allCases {
            let en = id.definition, zh = id.definition(in: .zh)
            #expect(zh == id.definitionZh && id.definition(in: .en) == en, "\(id)")
            #expect((zh.denominator != nil) == (en.denominator != nil), "\(id) denominator")
            // Fields that are only a column name (e.g. "tasks.created_at") need no Chinese.
            for (field, text) in [("numerator", zh.numerator), ("excluded", zh.excluded)] + (zh.denominator.map { [("denominator", $0)] } ?? []) {
                #expect(!text.isEmpty && hasCJK(text), "\(id) \(field): \(text)")
                #expect(text != en.numerator && text != en.excluded, "\(id) \(field) translated")
            }
            #expect(!zh.timestamps.isEmpty, "\(id) timestamps")
            // Where the English timestamps say more than a column name, so does the Chinese.
            #expect(hasCJK(zh.timestamps) == en.timestamps.contains(" "), "\(id) timestamps: \(zh.timestamps)")
        }
    }
}
