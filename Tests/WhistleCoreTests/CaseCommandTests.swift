import Foundation
import Testing
@testable import WhistleCore

/// `CaseCommand.decide`: commanding a blown case — what each command changes, which clocks
/// follow, and what it refuses.
@Suite struct CaseCommandTests {
    let org = SampleOrg()
    let now = sh(2025, 3, 3, 10)
    var dispatcher: Actor { org.actor(org.street, .dispatcher) }
    var agencyStaff: Actor { org.actor(org.agency, .unitStaff) }

    /// A case blown to the agency (lead), with the directory and settings a command needs.
    func facts() throws -> CaseCommand.Facts {
        let units = [org.district, org.street, org.otherStreet, org.community, org.grid, org.section, org.department, org.agency]
        let blow = try WhistleBlowing.decide(
            NewWhistle(kind: .rally, reason: .jointEnforcement, title: "无照经营", description: "疑似假冒商品", address: "幸福路",
                       responders: [ResponderInput(unitID: org.agency.id, role: .lead, duty: "现场查处")]),
            by: dispatcher, facts: WhistleBlowing.Facts(org: OrgDirectory(units), appeal: nil, item: nil, calendar: .standard,
                                                        policy: .defaults, exceptions: [], escalation: .standard),
            now: now.addingTimeInterval(-600), draws: .seeded(3))
        return CaseCommand.Facts(whistle: blow.whistle, tasks: blow.tasks, partyPaths: blow.parties.map(\.unitPath),
                                 org: OrgDirectory(units), item: nil, calendar: .standard, policy: .defaults, exceptions: [],
                                 escalation: .standard)
    }

    func refuses(_ input: CaseCommand.Input, by actor: Actor? = nil, facts f: CaseCommand.Facts? = nil, _ code: String) throws {
        let f = try f ?? facts()
        #expect(performing: { try CaseCommand.decide(input, by: actor ?? dispatcher, facts: f, now: now, draws: .seeded(1)) },
                throws: { ($0 as? WhistleError)?.code == code })
    }

    @Test func addingAResponderGivesItATaskThreeClocksPartiesAndAnEvent() throws {
        let f = try facts()
        let d = try CaseCommand.decide(.addResponder(ResponderInput(unitID: org.department.id, role: .filing, duty: "立案侦办"),
                                                     reason: "达到立案标准"), by: dispatcher, facts: f, now: now, draws: .seeded(2))
        let task = try #require(d.task)
        #expect(d.newTasks == [task] && task.unitID == org.department.id && task.role == .filing && task.duty == "立案侦办")
        #expect(task.createdAt == now && task.state == .summoned)
        #expect(d.newClocks.count == 3 && d.newClocks.allSatisfy { $0.taskID == task.id.rawValue && $0.startedAt == now })
        #expect(d.parties.map(\.unitID) == [org.department.id])
        #expect(d.events.map(\.kind) == [.taskSummoned] && d.events[0].detail["reason"] == "达到立案标准")
        #expect(!d.stateChanged && d.whistle.nextDueAt == f.tasks[0].nextDueAt)
    }

    @Test func aNewLeadMakesTheOldOneJoin() throws {
        let f = try facts()
        let d = try CaseCommand.decide(.addResponder(ResponderInput(unitID: org.department.id, role: .lead), reason: nil),
                                       by: dispatcher, facts: f, now: now, draws: .seeded(2))
        #expect(d.changedTasks.map(\.role) == [.support] && d.changedTasks[0].id == f.tasks[0].id)
        #expect(d.events.map(\.kind) == [.taskSummoned, .taskChanged])
    }

    @Test func reassigningReplacesTheTaskAndEndsItsClocks() throws {
        var f = try facts()
        f.tasks[0].state = .objected
        let d = try CaseCommand.decide(.reassign(f.tasks[0].id, unitID: org.department.id, reason: "不属本队"), by: dispatcher,
                                       facts: f, now: now, draws: .seeded(2))
        let new = try #require(d.task)
        #expect(d.changedTasks.first?.state == .reassigned && d.changedTasks.first?.replacedBy == new.id.rawValue)
        #expect(d.endedTasks == [f.tasks[0].id])
        #expect(new.role == .lead && new.duty == "现场查处", "the replacement takes over the role and the duty")
        #expect(d.events.map(\.kind) == [.taskReassigned, .taskSummoned])
    }

    @Test func changingADeadlineMovesItsClockAndRecordsWhatItWas() throws {
        let f = try facts()
        let t = f.tasks[0]
        let later = t.deadlines.completeBy.addingTimeInterval(3 * 86400)
        let d = try CaseCommand.decide(.change(t.id, ResponderChange(completeBy: later, reason: "协调会决定")), by: dispatcher,
                                       facts: f, now: now, draws: .seeded(2))
        #expect(d.changedTasks.first?.deadlines.completeBy == later)
        #expect(d.movedClocks == [CaseCommand.ClockMove(taskID: t.id, kind: .complete, due: later)])
        #expect(d.events.first?.detail["completeByWas"] == iso8601(t.deadlines.completeBy))
        // Moving the next deadline moves the whistle's.
        let sooner = now.addingTimeInterval(60)
        let e = try CaseCommand.decide(.change(t.id, ResponderChange(acknowledgeBy: sooner, reason: "紧急")), by: dispatcher,
                                       facts: f, now: now, draws: .seeded(2))
        #expect(e.whistle.nextDueAt == sooner && e.changedTasks.first?.nextDueAt == sooner)
    }

    @Test func refusals() throws {
        let f = try facts()
        let t = f.tasks[0].id
        try refuses(.addResponder(ResponderInput(unitID: org.agency.id), reason: nil), "whistle.duplicate_responder")
        try refuses(.addResponder(ResponderInput(unitID: org.department.id), reason: nil), by: agencyStaff, "auth.forbidden")
        try refuses(.addResponder(ResponderInput(unitID: nil), reason: nil), "input.missing")
        try refuses(.change(t, ResponderChange(duty: "x")), "input.missing")
        try refuses(.change(t, ResponderChange(reason: "x")), "command.nothing_to_change")
        try refuses(.change(t, ResponderChange(completeBy: now.addingTimeInterval(-1), reason: "x")), "deadline.in_past")
        try refuses(.change(TaskID(UUID()), ResponderChange(duty: "x", reason: "x")), "task.not_found")
        try refuses(.post(CasePost(kind: .order, text: "撤离")), by: agencyStaff, "auth.forbidden")
        try refuses(.post(CasePost(kind: .note, text: " ")), "input.missing")
        try refuses(.file(t, caseNumber: "1", filedOn: "2025-03-03"), by: agencyStaff, "task.illegal_transition")
        try refuses(.file(t, caseNumber: "1", filedOn: "2025-02-30"), by: agencyStaff, "input.invalid")
        var closed = f
        closed.whistle.state = .closed
        try refuses(.post(CasePost(kind: .note, text: "x")), facts: closed, "whistle.illegal_transition")
        // A note by a responder is fine; so is the filing once it has reported.
        _ = try CaseCommand.decide(.post(CasePost(kind: .note, text: "已封存")), by: agencyStaff, facts: f, now: now, draws: .seeded(1))
        var working = f
        working.tasks[0].state = .acknowledged
        let filed = try CaseCommand.decide(.file(t, caseNumber: "案-1", filedOn: "2025-03-03"), by: agencyStaff, facts: working,
                                           now: now, draws: .seeded(1))
        #expect(filed.task?.filing == CaseFiling(caseNumber: "案-1", filedOn: "2025-03-03"))
    }

    /// The one filing rule the command and the task page both use.
    @Test func whoMayRecordAFilingAndWhen() throws {
        let task = try facts().tasks[0]
        #expect(task.role == .lead && task.state == .summoned)
        #expect(CaseCommand.filingRefusal(task)?.code == "task.illegal_transition", "not before the unit has reported")
        for (state, allowed) in [(TaskState.acknowledged, true), (.onSite, true), (.completed, true), (.objected, false),
                                 (.verified, true), (.reassigned, false), (.cancelled, false)] {
            var t = task
            t.state = state
            #expect((CaseCommand.filingRefusal(t) == nil) == allowed, "\(state)")
        }
        var support = task
        support.state = .acknowledged
        support.role = .support
        #expect(CaseCommand.filingRefusal(support)?.code == "task.not_filing_role")
        support.role = .filing
        #expect(CaseCommand.filingRefusal(support) == nil)
        support.filing = CaseFiling(caseNumber: "案-1", filedOn: "2025-03-03")
        #expect(CaseCommand.filingRefusal(support)?.code == "task.already_filed")
    }

    @Test func aHandoverSummonsTheReceivingUnitAndItsAcceptanceIsItsReport() throws {
        var f = try facts()
        f.tasks[0].state = .onSite
        let input = HandoverInput(unitID: org.department.id, kind: .criminalReferral, reason: "涉嫌犯罪", goods: "服装365件",
                                  threshold: "货值超过5万元")
        let d = try CaseCommand.decide(.handOver(f.tasks[0].id, input), by: agencyStaff, facts: f, now: now, draws: .seeded(4))
        let h = try #require(d.newHandovers.first)
        #expect(h.state == .pending && h.toUnitID == org.department.id && h.fromTaskID == f.tasks[0].id)
        #expect(d.newTasks.count == 1 && d.newTasks[0].role == .filing && d.newTasks[0].id == h.toTaskID)
        #expect(d.events.map(\.kind) == [.taskHandedOver, .taskSummoned])
        #expect(d.events[0].detail["threshold"] == "货值超过5万元")
        // The receiving unit accepts: its task is acknowledged, on time.
        var g = f
        g.tasks += d.newTasks
        g.handovers = [h]
        let department = org.actor(org.department, .unitStaff)
        let accepted = try CaseCommand.decide(.decideHandover(h.id, accept: true, reason: nil), by: department, facts: g,
                                              now: now.addingTimeInterval(60), draws: .seeded(1))
        #expect(accepted.changedHandovers.first?.state == .accepted)
        #expect(accepted.changedTasks.first?.state == .acknowledged && accepted.changedTasks.first?.acknowledgedOnTime == true)
        // Refusals: by the sender, without a reason, a criminal referral without its threshold, twice.
        try refuses(.decideHandover(h.id, accept: true, reason: nil), by: agencyStaff, facts: g, "auth.forbidden")
        try refuses(.decideHandover(h.id, accept: false, reason: nil), by: department, facts: g, "input.missing")
        try refuses(.handOver(f.tasks[0].id, HandoverInput(unitID: org.department.id, kind: .criminalReferral, reason: "x")),
                    by: agencyStaff, facts: f, "input.missing")
        try refuses(.handOver(f.tasks[0].id, input), by: agencyStaff, facts: g, "handover.already_pending")
        var decided = g
        decided.handovers[0].state = .accepted
        try refuses(.decideHandover(h.id, accept: true, reason: nil), by: department, facts: decided, "handover.illegal_transition")
        // A refusal ends the task made for it.
        let refused = try CaseCommand.decide(.decideHandover(h.id, accept: false, reason: "未达标准"), by: department, facts: g,
                                             now: now, draws: .seeded(1))
        #expect(refused.endedTasks == [h.toTaskID] && refused.changedTasks.first?.state == .cancelled)
    }

    @Test func aMeetingIsConvenedAndItsMinutesChangeEachBodysPart() throws {
        var f = try facts()
        f.whistle.kind = .jointAction
        let convened = try CaseCommand.decide(.convene(MeetingInput(at: now.addingTimeInterval(3600), place: "会议室",
                                                                   attendeeUnitIDs: [org.agency.id, org.department.id])),
                                              by: dispatcher, facts: f, now: now, draws: .seeded(6))
        let meeting = try #require(convened.newMeetings.first)
        #expect(meeting.attendance.map(\.unitID) == [org.agency.id, org.department.id] && convened.notices.count == 2)
        var g = f
        g.meetings = [meeting]
        let later = f.tasks[0].deadlines.completeBy.addingTimeInterval(86400)
        let minuted = try CaseCommand.decide(.minute(meeting.id, MinutesInput(
            attendance: [.init(unitID: org.department.id, present: false)], minutes: "明确职责",
            decisions: [.init(taskID: f.tasks[0].id.rawValue, duty: "清理", completeBy: later)])),
                                             by: dispatcher, facts: g, now: now, draws: .seeded(1))
        #expect(minuted.changedMeetings.first?.attendance.last?.present == false)
        #expect(minuted.changedTasks.first?.duty == "清理" && minuted.movedClocks.map(\.kind) == [.complete])
        #expect(minuted.events.map(\.kind) == [.meetingHeld, .taskChanged])
        try refuses(.minute(meeting.id, MinutesInput(attendance: nil, minutes: "x")), by: agencyStaff, facts: g, "auth.forbidden")
        var minutedAlready = g
        minutedAlready.meetings[0].minutedAt = now
        try refuses(.minute(meeting.id, MinutesInput(attendance: nil, minutes: "x")), facts: minutedAlready, "meeting.already_minuted")
        try refuses(.convene(MeetingInput(at: now, place: "x", attendeeUnitIDs: [])), facts: f, "input.missing")
    }

    @Test func aReviewAfterAnEmergencyRecordsTheActsAgainstTheirLimitsOnce() throws {
        var f = try facts()
        try refuses(.review(f.tasks[0].id, ReviewInput(grade: .good, did: "处置")), facts: f, "review.not_emergency")
        f.whistle.kind = .emergency
        f.whistle.state = .closed
        f.tasks[0].acknowledgedAt = f.tasks[0].deadlines.acknowledgeBy.addingTimeInterval(-60)
        f.tasks[0].arrivedAt = f.tasks[0].deadlines.arriveBy.addingTimeInterval(60)
        let d = try CaseCommand.decide(.review(f.tasks[0].id, ReviewInput(grade: .fairlyGood, did: "疏散群众", problems: "到场晚")),
                                       by: dispatcher, facts: f, now: now, draws: .seeded(3))
        let review = try #require(d.newReviews.first)
        #expect(review.acknowledgedOnTime == true && review.arrivedOnTime == false && review.unitID == org.agency.id)
        #expect(d.events.map(\.kind) == [.taskReviewed] && d.events[0].detail["arrivedOnTime"] == "false")
        var reviewed = f
        reviewed.reviews = [review]
        try refuses(.review(f.tasks[0].id, ReviewInput(grade: .good, did: "x")), facts: reviewed, "review.already")
        try refuses(.review(f.tasks[0].id, ReviewInput(grade: .good, did: "x")), by: agencyStaff, facts: f, "auth.forbidden")
        try refuses(.review(f.tasks[0].id, ReviewInput(grade: nil, did: "x")), facts: f, "input.missing")
    }

    @Test func figuresSumPeoplePerResponderAndSeizuresOverReports() {
        let a = UUID(), b = UUID()
        let total = CaseFigures.total([(a, CaseFigures(officers: 100, vehicles: 12)), (b, CaseFigures(itemsSeized: 300, valueYuan: 41000)),
                                       (b, CaseFigures(officers: 8, itemsSeized: 65, valueYuan: 11000.5)), (a, CaseFigures(officers: 120))])
        #expect(total == CaseFigures(officers: 128, vehicles: 12, itemsSeized: 365, valueYuan: 52000.5))
        #expect(CaseFigures(detail: CaseFigures(officers: 3).detail) == CaseFigures(officers: 3))
        #expect(CaseFigures(detail: ["text": "x"]) == nil)
        #expect(throws: WhistleError.self) { try CaseFigures(vehicles: -1).validate() }
    }
}
