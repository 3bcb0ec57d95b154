import Foundation
import Testing
@testable import WhistleCore

struct DeadlineTests {
    static let monday10 = sh(2025, 3, 3, 10)

    private func item(_ limits: [Urgency: TimeSpan]) -> CatalogueItem {
        CatalogueItem(id: UUID(), code: "X", classCode: "c", name: "井盖缺失", primary: .unit(code: "AG"),
                      supporting: [], limits: limits)
    }

    /// 应急响应哨: on site within 30 minutes, whatever the urgency and the hour (even Saturday night).
    @Test(arguments: Urgency.allCases, [sh(2025, 3, 3, 10), sh(2025, 3, 8, 23, 45), sh(2025, 3, 7, 17, 55)])
    func emergencyKind(urgency: Urgency, start: Date) {
        let d = DeadlinePolicy.plan(kind: .emergency, urgency: urgency, item: nil, from: start)
        #expect(d.acknowledgeBy == start.addingTimeInterval(10 * 60))
        #expect(d.arriveBy == start.addingTimeInterval(30 * 60))
        #expect(d.completeBy == start.addingTimeInterval(2 * 3600))
    }

    @Test(arguments: [WhistleKind.rally, .jointAction, .supervision])
    func emergencyUrgencyOfAnyKind(kind: WhistleKind) {
        let start = sh(2025, 3, 9, 3)
        let d = DeadlinePolicy.plan(kind: kind, urgency: .emergency, item: nil, from: start)
        // A supervision whistle asks for no site visit: its arrival deadline is its completion deadline.
        #expect(d == TaskDeadlines(acknowledgeBy: start.addingTimeInterval(600),
                                   arriveBy: start.addingTimeInterval(kind == .supervision ? 7200 : 1800),
                                   completeBy: start.addingTimeInterval(7200)))
    }

    @Test func urgent() {
        let d = DeadlinePolicy.plan(kind: .rally, urgency: .urgent, item: nil, from: Self.monday10)
        #expect(d == TaskDeadlines(acknowledgeBy: sh(2025, 3, 3, 10, 30), arriveBy: sh(2025, 3, 3, 12),
                                   completeBy: sh(2025, 3, 4, 10)))
    }

    @Test func normalCountsWorkingTime() {
        let d = DeadlinePolicy.plan(kind: .jointAction, urgency: .normal, item: nil, from: Self.monday10)
        #expect(d == TaskDeadlines(acknowledgeBy: sh(2025, 3, 3, 12), arriveBy: sh(2025, 3, 4, 18),
                                   completeBy: sh(2025, 3, 12, 18)))
        let friday = DeadlinePolicy.plan(kind: .supervision, urgency: .normal, item: nil, from: sh(2025, 3, 7, 17))
        #expect(friday == TaskDeadlines(acknowledgeBy: sh(2025, 3, 10, 10), arriveBy: sh(2025, 3, 18, 18),
                                        completeBy: sh(2025, 3, 18, 18)), "supervision: no site visit")
        let fridayRally = DeadlinePolicy.plan(kind: .rally, urgency: .normal, item: nil, from: sh(2025, 3, 7, 17))
        #expect(fridayRally == TaskDeadlines(acknowledgeBy: sh(2025, 3, 10, 10), arriveBy: sh(2025, 3, 10, 18),
                                             completeBy: sh(2025, 3, 18, 18)))
    }

    @Test func itemLimitOverridesTheDefault() {
        let normal = DeadlinePolicy.plan(kind: .rally, urgency: .normal, item: item([.normal: TimeSpan(3, .workingDays)]),
                                         from: Self.monday10)
        #expect(normal.completeBy == sh(2025, 3, 6, 18))
        let urgentButNoUrgentLimit = DeadlinePolicy.plan(kind: .rally, urgency: .urgent,
                                                         item: item([.normal: TimeSpan(3, .workingDays)]), from: Self.monday10)
        #expect(urgentButNoUrgentLimit.completeBy == sh(2025, 3, 4, 10))
        // An emergency kind uses the item's emergency limit even when the urgency says normal.
        let emergency = DeadlinePolicy.plan(kind: .emergency, urgency: .normal,
                                            item: item([.emergency: TimeSpan(4, .hours), .normal: TimeSpan(3, .workingDays)]),
                                            from: Self.monday10)
        #expect(emergency.completeBy == sh(2025, 3, 3, 14))
    }

    @Test func completionNeverPrecedesArrival() {
        let d = DeadlinePolicy.plan(kind: .rally, urgency: .normal, item: item([.normal: TimeSpan(30, .minutes)]),
                                    from: Self.monday10)
        #expect(d.completeBy == d.arriveBy)
        #expect(d.arriveBy == sh(2025, 3, 4, 18))
    }

    @Test func defaultLimitTables() {
        #expect(DeadlinePolicy.defaultCompleteLimit(.emergency) == TimeSpan(2, .hours))
        #expect(DeadlinePolicy.defaultCompleteLimit(.urgent) == TimeSpan(24, .hours))
        #expect(DeadlinePolicy.defaultCompleteLimit(.normal) == TimeSpan(7, .workingDays))
        func limit(_ clock: ClockKind, _ urgency: Urgency, _ kind: WhistleKind) -> TimeSpan? {
            LimitPolicy.defaults.limits(kind: kind, urgency: urgency, level: .street, item: nil)[clock]
        }
        for kind in WhistleKind.allCases {
            #expect(limit(.arrive, .emergency, kind) == TimeSpan(30, .minutes))
            #expect(limit(.acknowledge, .emergency, kind) == TimeSpan(10, .minutes))
        }
        #expect(limit(.arrive, .normal, .rally) == TimeSpan(1, .workingDays))
        #expect(limit(.arrive, .normal, .emergency) == TimeSpan(30, .minutes))
        #expect(limit(.acknowledge, .urgent, .rally) == TimeSpan(30, .minutes))
        #expect(limit(.acknowledge, .normal, .supervision) == TimeSpan(2, .workingHours))
    }

    /// For random starts, urgencies, kinds and item limits: start ≤ ack ≤ arrive ≤ complete,
    /// and a fresh plan always validates.
    @Test func orderAlwaysHolds() throws {
        var rng = SeededRNG(seed: 99)
        let units = TimeSpan.Unit.allCases
        for _ in 0..<500 {
            let start = sh(2025, 1, 1).addingTimeInterval(Double(Int.random(in: 0..<(365 * 86_400), using: &rng)))
            var limits: [Urgency: TimeSpan] = [:]
            for u in Urgency.allCases where Bool.random(using: &rng) {
                limits[u] = TimeSpan(Int.random(in: 1...40, using: &rng), units.randomElement(using: &rng)!)
            }
            let d = DeadlinePolicy.plan(kind: WhistleKind.allCases.randomElement(using: &rng)!,
                                        urgency: Urgency.allCases.randomElement(using: &rng)!,
                                        item: Bool.random(using: &rng) ? item(limits) : nil, from: start)
            #expect(start <= d.acknowledgeBy && d.acknowledgeBy <= d.arriveBy && d.arriveBy <= d.completeBy, "\(d)")
            try d.validate(now: start)
        }
    }

    // MARK: TaskDeadlines

    static let now = sh(2025, 3, 3, 10)
    static func at(_ minutes: Int) -> Date { now.addingTimeInterval(Double(minutes * 60)) }

    @Test(arguments: [(-1, 30, 60, "acknowledgeBy"), (10, -1, 60, "arriveBy"), (10, 30, -1, "completeBy"),
                      (-5, -3, -1, "acknowledgeBy"), (10, -1, -2, "arriveBy")])
    func inPastNamesTheField(ack: Int, arrive: Int, complete: Int, field: String) {
        let d = TaskDeadlines(acknowledgeBy: Self.at(ack), arriveBy: Self.at(arrive), completeBy: Self.at(complete))
        let error = #expect(throws: WhistleError.self) { try d.validate(now: Self.now) }
        #expect(error?.code == "deadline.in_past")
        #expect(error?.category == .invalid)
        #expect(error?.field == field)
    }

    @Test(arguments: [(30, 10, 60), (10, 60, 30), (60, 30, 10), (10, 10, 5)])
    func outOfOrder(ack: Int, arrive: Int, complete: Int) {
        let d = TaskDeadlines(acknowledgeBy: Self.at(ack), arriveBy: Self.at(arrive), completeBy: Self.at(complete))
        let error = #expect(throws: WhistleError.self) { try d.validate(now: Self.now) }
        #expect(error?.code == "deadline.order")
        #expect(error?.field == "deadlines")
    }

    @Test func equalDeadlinesAndNowAreFine() {
        #expect(throws: Never.self) { try TaskDeadlines(acknowledgeBy: Self.now, arriveBy: Self.now, completeBy: Self.now).validate(now: Self.now) }
        #expect(throws: Never.self) { try TaskDeadlines(acknowledgeBy: Self.at(1), arriveBy: Self.at(1), completeBy: Self.at(2)).validate(now: Self.now) }
    }

    @Test(arguments: TaskState.allCases)
    func nextDeadlinePerState(state: TaskState) {
        let d = TaskDeadlines(acknowledgeBy: Self.at(10), arriveBy: Self.at(30), completeBy: Self.at(120))
        let expected: [TaskState: Date] = [.summoned: Self.at(10), .objected: Self.at(10),
                                           .acknowledged: Self.at(30), .onSite: Self.at(120)]
        #expect(d.next(for: state) == expected[state])
    }

    /// Overdue: still worked and past the deadline; at the deadline itself it is on time.
    @Test func overdueMeansStillWorkedAndPastTheDeadline() {
        let due = Self.monday10
        let after = due.addingTimeInterval(1)
        for state in AppealState.allCases {
            #expect(state.isOverdue(dueAt: due, now: after) == state.isOpen, "\(state)")
            #expect(!state.isOverdue(dueAt: due, now: due) && !state.isOverdue(dueAt: nil, now: after))
        }
        for state in TaskState.allCases {
            #expect(state.isOverdue(nextDueAt: due, now: after) == state.isLive, "\(state)")
            #expect(!state.isOverdue(nextDueAt: due, now: due) && !state.isOverdue(nextDueAt: nil, now: after))
        }
        for state in WhistleState.allCases {
            #expect(state.isOverdue(nextDueAt: due, now: after) == state.isLive, "\(state)")
        }
        // A withdrawn task that kept a deadline is not overdue.
        #expect(!TaskState.cancelled.isOverdue(nextDueAt: due, now: after))
    }
}
