import Foundation
import Testing
@testable import WhistleCore

/// `ResponderStep.decide`: the responder's own steps, allowed and refused.
@Suite struct ResponderStepTests {
    let org = SampleOrg()
    let blown = sh(2025, 3, 3, 9)

    func task(_ state: TaskState = .summoned) -> TaskRecord {
        TaskRecord(id: TaskID(UUID()), whistleID: WhistleID(UUID()), unitID: org.agency.id, role: .lead, state: state,
                   deadlines: TaskDeadlines(acknowledgeBy: sh(2025, 3, 3, 9, 30), arriveBy: sh(2025, 3, 3, 10),
                                            completeBy: sh(2025, 3, 3, 17)),
                   nextDueAt: sh(2025, 3, 3, 9, 30), createdAt: blown)
    }

    func whistle(_ state: WhistleState = .open, for task: TaskRecord) -> WhistleFacts {
        WhistleFacts(id: task.whistleID, districtID: org.district.id, appealID: UUID(), blowerUnitID: org.street.id,
                     state: state, partyPaths: [org.street.path, org.agency.path])
    }

    var staff: Actor { org.actor(org.agency, .unitStaff) }

    @Test func acknowledgingInTimeRecordsTheMomentOnTimeAndTheNextDeadline() throws {
        let t = task()
        let d = try ResponderStep.decide(.acknowledge, task: t, whistle: whistle(for: t), by: staff, now: sh(2025, 3, 3, 9, 20))
        #expect(d.from == .summoned && d.task.state == .acknowledged)
        #expect(d.task.acknowledgedAt == sh(2025, 3, 3, 9, 20) && d.task.acknowledgedOnTime == true)
        #expect(d.task.nextDueAt == t.deadlines.arriveBy)
        #expect(d.event.kind == .taskAcknowledged && d.event.detail["onTime"] == "true")
        #expect(d.event.from == "summoned" && d.event.to == "acknowledged" && d.event.taskID == t.id)
        #expect(!d.withdrawsExtensions)
    }

    @Test func arrivingLateIsJudgedLateAtTheMomentAndCarriesThePlace() throws {
        let t = task(.acknowledged)
        let d = try ResponderStep.decide(.arrive(lat: 39.9, lon: 116.4), task: t, whistle: whistle(for: t), by: staff,
                                         now: sh(2025, 3, 3, 10, 5))
        #expect(d.task.state == .onSite && d.task.arrivedOnTime == false)
        #expect(d.task.arriveLat == 39.9 && d.event.lat == 39.9 && d.event.detail["onTime"] == "false")
        #expect(d.task.nextDueAt == t.deadlines.completeBy)
    }

    @Test func completingEndsTheDeadlinesAndLapsesExtensionRequests() throws {
        let t = task(.onSite)
        let d = try ResponderStep.decide(.complete(result: " 已清理 ", photos: ["abc"]), task: t, whistle: whistle(for: t),
                                         by: staff, now: sh(2025, 3, 3, 16))
        #expect(d.task.state == .completed && d.task.result == "已清理" && d.task.completedOnTime == true)
        #expect(d.task.nextDueAt == nil && d.withdrawsExtensions && d.photos == ["abc"])
    }

    @Test func progressKeepsTheStateAndRecordsNoTransition() throws {
        let t = task(.onSite)
        let d = try ResponderStep.decide(.progress(text: "进行中", photos: [], lat: nil, lon: nil), task: t,
                                         whistle: whistle(for: t), by: staff, now: sh(2025, 3, 3, 11))
        #expect(d.task.state == .onSite && d.event.from == nil && d.event.to == nil && d.event.detail["text"] == "进行中")
    }

    @Test func refusals() {
        let t = task()
        func refuses(_ input: ResponderStep.Input, task: TaskRecord? = nil, whistle w: WhistleFacts? = nil, by actor: Actor? = nil,
                     _ code: String) {
            let task = task ?? t
            #expect(performing: {
                try ResponderStep.decide(input, task: task, whistle: w ?? whistle(for: task), by: actor ?? staff, now: sh(2025, 3, 3, 9, 10))
            }, throws: { ($0 as? WhistleError)?.code == code })
        }
        // Another street's people do not see the case at all.
        refuses(.acknowledge, by: org.actor(org.otherStreet, .unitStaff), "auth.forbidden")
        // The blower sees the case but does not report for the responder.
        refuses(.acknowledge, by: org.actor(org.street, .dispatcher), "auth.forbidden")
        // A closed whistle takes no more steps.
        refuses(.acknowledge, whistle: whistle(.closed, for: t), "whistle.illegal_transition")
        // The state machine: no arrival before acknowledging, no second acknowledgement.
        refuses(.arrive(lat: nil, lon: nil), "task.illegal_transition")
        refuses(.acknowledge, task: task(.acknowledged), "task.illegal_transition")
        // Fields, before anything else.
        refuses(.object(reason: "  "), "input.missing")
        refuses(.complete(result: "x", photos: Array(repeating: "p", count: 10)), "input.invalid")
        refuses(.arrive(lat: 91, lon: 0), "input.invalid")
    }

    @Test func clockSettlement() {
        let due = sh(2025, 3, 3, 10)
        let late = ClockSettlement(.done, dueAt: due, pausedAt: sh(2025, 3, 3, 10, 10), pausedSeconds: 60, now: sh(2025, 3, 3, 10, 20))
        #expect(late.pausedSeconds == 660 && late.lateSeconds == 1200)
        #expect(ClockSettlement(.cancelled, dueAt: due, pausedAt: nil, pausedSeconds: 0, now: sh(2025, 3, 3, 11)).lateSeconds == nil)
        #expect(ClockSettlement.ending(.acknowledge, taskState: .acknowledged) == .done)
        #expect(ClockSettlement.ending(.complete, taskState: .acknowledged) == nil)
        #expect(ClockSettlement.ending(.complete, taskState: .cancelled) == .cancelled)
    }
}
