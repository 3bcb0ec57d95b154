import Foundation
import Testing
@testable import WhistleCore

/// Reminders and the escalation chain, as a pure schedule.
@Suite struct ClockScheduleTests {
    let start = sh(2026, 3, 2, 9)
    var schedule: ClockSchedule { ClockSchedule(start: start, due: start.addingTimeInterval(10 * 3600), plan: .standard) }
    func at(_ hours: Double) -> Date { start.addingTimeInterval(hours * 3600) }

    @Test func stepsFollowThePlan() {
        let s = schedule
        #expect(s.step(0) == ClockStep(index: 0, at: at(5), action: .remind(fraction: 0.5), notify: [.responderStaff]))
        #expect(s.step(1).at == at(8))
        // The overdue step comes just past the deadline: at the deadline itself an act is on time (`Deadline`).
        #expect(s.step(2) == ClockStep(index: 2, at: at(10).addingTimeInterval(Deadline.firstPastDue),
                                       action: .escalate(level: 0, repeat: 0), notify: [.responderStaff]))
        #expect(s.due(now: at(10), fired: 2).steps.isEmpty)
        #expect(s.due(now: at(10).addingTimeInterval(1), fired: 2).steps.map(\.index) == [2])
        #expect(s.step(3) == ClockStep(index: 3, at: at(11), action: .escalate(level: 1, repeat: 0), notify: [.responderLeader]))
        #expect(s.step(4).notify == [.districtSupervisor, .blowerLeader])
        #expect(s.step(4).at == at(14))
        #expect(s.step(5) == ClockStep(index: 5, at: at(18), action: .escalate(level: 2, repeat: 1), notify: [.districtSupervisor, .blowerLeader]))
        #expect(s.step(6).at == at(22))
    }

    @Test func onlyWhatIsDueFires() {
        #expect(schedule.due(now: at(4.99), fired: 0).steps.isEmpty)
        let half = schedule.due(now: at(5), fired: 0)
        #expect(half.steps.map(\.index) == [0])
        #expect(half.nextIndex == 1)
        #expect(schedule.due(now: at(9), fired: 1).steps.map(\.index) == [1])
    }

    @Test func mootRemindersAreNotSent() {
        // Down through both reminders: only the later one goes out.
        #expect(schedule.due(now: at(9), fired: 0).steps.map(\.index) == [1])
        // Down past the deadline: no reminder at all, the overdue step instead.
        let late = schedule.due(now: at(10.5), fired: 0)
        #expect(late.steps.map(\.index) == [2])
        #expect(late.nextIndex == 3)
    }

    @Test func missedEscalationsAllFireButRepeatsCollapse() {
        let result = schedule.due(now: at(30), fired: 0)
        // Chain steps 2, 3, 4 each reach a different audience; repeats at 18, 22, 26, 30 collapse into 30's.
        #expect(result.steps.map(\.index) == [2, 3, 4, 8])
        #expect(result.nextIndex == 9)
        #expect(schedule.step(9).at == at(34))
    }

    @Test func anExtendedDeadlineMovesTheRest() {
        var s = schedule
        let before = s.due(now: at(5), fired: 0)
        #expect(before.nextIndex == 1)
        s.due = at(20)   // extension granted
        // The 0.8 reminder now falls at 16h; nothing more is due at 9h.
        #expect(s.due(now: at(9), fired: 1).steps.isEmpty)
        #expect(s.step(1).at == at(16))
    }

    @Test func aZeroWindowHasNoReminders() {
        let s = ClockSchedule(start: start, due: start, plan: .standard)
        #expect(s.step(0).action == .escalate(level: 0, repeat: 0))
    }

    @Test func plansAreValidated() throws {
        try EscalationPlan.standard.validate()
        #expect(throws: WhistleError.self) { try EscalationPlan(reminders: [1.2], chain: EscalationPlan.standard.chain, repeatEvery: 3600).validate() }
        #expect(throws: WhistleError.self) { try EscalationPlan(reminders: [], chain: [], repeatEvery: 3600).validate() }
        #expect(throws: WhistleError.self) {
            try EscalationPlan(reminders: [], chain: [.init(after: 100, notify: [.responderStaff]), .init(after: 50, notify: [.responderLeader])],
                               repeatEvery: 3600).validate()
        }
        #expect(throws: WhistleError.self) { try EscalationPlan(reminders: [], chain: EscalationPlan.standard.chain, repeatEvery: 1).validate() }
    }

    /// Firing in any pattern of wake-ups never fires a step twice, never skips an
    /// escalation step, and always ends at the same next index.
    @Test func anyWakeUpPatternFiresEachEscalationOnce() {
        var rng = SeededRNG(seed: 7)
        for _ in 0..<200 {
            var fired = 0
            var escalations: [Int] = []
            var now = start
            let end = at(40)
            while now < end {
                now = min(end, now.addingTimeInterval(Double(Int.random(in: 60...(6 * 3600), using: &rng))))
                let result = schedule.due(now: now, fired: fired)
                for step in result.steps where !step.isReminder {
                    if case .escalate(_, let r) = step.action, r == 0 { escalations.append(step.index) }
                }
                #expect(Set(result.steps.map(\.index)).count == result.steps.count)
                #expect(result.steps.allSatisfy { $0.index >= fired })
                fired = result.nextIndex
            }
            #expect(escalations == [2, 3, 4])
            #expect(fired == schedule.due(now: end, fired: 0).nextIndex)
        }
    }
}
