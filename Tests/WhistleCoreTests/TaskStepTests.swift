import Foundation
import Testing
@testable import WhistleCore

/// `TaskStep.decide`: the responder's own steps, allowed and refused.
@Suite struct TaskStepTests {
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
        let d = try TaskStep.decide(.acknowledge, task: t, whistle: whistle(for: t), by: staff, now: sh(2025, 3, 3, 9, 20))
        #expect(d.from == .summoned && d.task.state == .acknowledged)
        #expect(d.task.acknowledgedAt == sh(2025, 3, 3, 9, 20) && d.task.acknowledgedOnTime == true)
        #expect(d.task.nextDueAt == t.deadlines.arriveBy)
        #expect(d.event.kind == .taskAcknowledged && d.event.detail["onTime"] == "true")
        #expect(d.event.from == "summoned" && d.event.to == "acknowledged" && d.event.taskID == t.id)
        #expect(!d.withdrawsExtensions)
    }

    @Test func arrivingLateIsJudgedLateAtTheMomentAndCarriesThePlace() throws {
        let t = task(.acknowledged)
        let d = try TaskStep.decide(.arrive(lat: 39.9, lon: 116.4), task: t, whistle: whistle(for: t), by: staff,
                                         now: sh(2025, 3, 3, 10, 5))
        #expect(d.task.state == .onSite && d.task.arrivedOnTime == false)
        #expect(d.task.arriveLat == 39.9 && d.event.lat == 39.9 && d.event.detail["onTime"] == "false")
        #expect(d.task.nextDueAt == t.deadlines.completeBy)
    }

    @Test func completingEndsTheDeadlinesAndLapsesExtensionRequests() throws {
        let t = task(.onSite)
        let d = try TaskStep.decide(.complete(result: " 已清理 ", photos: ["abc"]), task: t, whistle: whistle(for: t),
                                         by: staff, now: sh(2025, 3, 3, 16))
        #expect(d.task.state == .completed && d.task.result == "已清理" && d.task.completedOnTime == true)
        #expect(d.task.nextDueAt == nil && d.withdrawsExtensions && d.photos == ["abc"])
    }

    @Test func progressKeepsTheStateAndRecordsNoTransition() throws {
        let t = task(.onSite)
        let d = try TaskStep.decide(.progress(text: "进行中", photos: [], lat: nil, lon: nil), task: t,
                                         whistle: whistle(for: t), by: staff, now: sh(2025, 3, 3, 11))
        #expect(d.task.state == .onSite && d.event.from == nil && d.event.to == nil && d.event.detail["text"] == "进行中")
    }

    @Test func refusals() {
        let t = task()
        func refuses(_ input: TaskStep.Input, task: TaskRecord? = nil, whistle w: WhistleFacts? = nil, by actor: Actor? = nil,
                     _ code: String) {
            let task = task ?? t
            #expect(performing: {
                try TaskStep.decide(input, task: task, whistle: w ?? whistle(for: task), by: actor ?? staff, now: sh(2025, 3, 3, 9, 10))
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
        // Only a running or paused clock is open to settling.
        #expect(ClockState.allCases.filter(\.isOpen) == [.running, .paused])
        // On time: done at or before the due time; a running or cancelled clock is neither.
        let atDue = ClockSettlement(.done, dueAt: due, pausedAt: nil, pausedSeconds: 0, now: due)
        #expect(ClockSettlement.onTime(atDue.state, lateSeconds: atDue.lateSeconds) == true)
        #expect(ClockSettlement.onTime(late.state, lateSeconds: late.lateSeconds) == false)
        #expect(ClockSettlement.onTime(.running, lateSeconds: nil) == nil && ClockSettlement.onTime(.cancelled, lateSeconds: nil) == nil)
        #expect(ClockSettlement.paused(60, since: sh(2025, 3, 3, 10, 10), now: sh(2025, 3, 3, 10, 20)) == 660)
        #expect(ClockSettlement.paused(60, since: nil, now: sh(2025, 3, 3, 10, 20)) == 60)
        // A due verification or callback clock fires only while its case waits for it.
        for state in WhistleState.allCases { #expect((ClockSettlement.dueVerification(of: state) == nil) == (state == .completed)) }
        #expect(WhistleState.allCases.map(ClockSettlement.verification(after:)) == [.ends(.cancelled), .runs, .ends(.done), .untouched])
        for state in AppealState.allCases { #expect((ClockSettlement.dueCallback(of: state) == nil) == (state == .resolved)) }
    }

    /// A task sent back to work (返工) gets its completion clock again, once.
    @Test func aReworkedTaskRestartsItsCompletionClockOnce() {
        var task = task(.onSite)
        task.reworkCount = 1
        #expect(ClockSettlement.restartsCompletion(task, openKinds: []))
        #expect(!ClockSettlement.restartsCompletion(task, openKinds: [.complete]), "its clock still runs")
        task.reworkCount = 0
        #expect(!ClockSettlement.restartsCompletion(task, openKinds: []), "arrived for the first time: the clock never stopped")
        task.reworkCount = 1
        task.state = .acknowledged
        #expect(!ClockSettlement.restartsCompletion(task, openKinds: []))
    }
}

/// The blower's steps on a task, and what a step does to its whistle.
@Suite struct BlowerStepTests {
    let org = SampleOrg()

    func task(_ state: TaskState, unit: OrgUnit? = nil) -> TaskRecord {
        TaskRecord(id: TaskID(UUID()), whistleID: WhistleID(UUID()), unitID: (unit ?? org.agency).id, role: .lead, state: state,
                   deadlines: TaskDeadlines(acknowledgeBy: sh(2025, 3, 3, 9, 30), arriveBy: sh(2025, 3, 3, 10),
                                            completeBy: sh(2025, 3, 3, 17)),
                   nextDueAt: nil, createdAt: sh(2025, 3, 3, 9))
    }

    func whistle(for t: TaskRecord, others: [TaskSummary] = [], state: WhistleState = .open) -> WhistleFacts {
        WhistleFacts(id: t.whistleID, districtID: org.district.id, appealID: nil, blowerUnitID: org.street.id, state: state,
                     partyPaths: [org.street.path, org.agency.path],
                     tasks: [TaskSummary(id: t.id, state: t.state, nextDueAt: t.nextDueAt)] + others)
    }

    var dispatcher: Actor { org.actor(org.street, .dispatcher) }

    @Test func reworkSendsTheTaskBackToWorkWithItsCompletionDeadline() throws {
        let t = task(.completed)
        let d = try TaskStep.decide(.rework(reason: "未清理干净"), task: t, whistle: whistle(for: t, state: .completed),
                                    by: dispatcher, now: sh(2025, 3, 3, 15))
        #expect(d.task.state == .onSite && d.task.reworkCount == 1 && d.task.completedAt == nil)
        #expect(d.task.nextDueAt == t.deadlines.completeBy && d.event.kind == .taskReworked)
        // The whistle goes back to open with the task.
        #expect(whistle(for: t, state: .completed).after(d.task).state == .open)
    }

    @Test func verifyingRecordsTheMomentAndTheResponderCannotVerify() throws {
        let t = task(.completed)
        let d = try TaskStep.decide(.verify(note: nil), task: t, whistle: whistle(for: t, state: .completed), by: dispatcher,
                                    now: sh(2025, 3, 3, 18))
        #expect(d.task.state == .verified && d.task.verifiedAt == sh(2025, 3, 3, 18) && d.event.detail["note"] == "")
        #expect(throws: WhistleError.self) {
            try TaskStep.decide(.verify(note: nil), task: t, whistle: whistle(for: t, state: .completed),
                                by: org.actor(org.agency, .unitStaff), now: sh(2025, 3, 3, 18))
        }
    }

    @Test func theLastLiveResponderCannotBeWithdrawn() throws {
        let t = task(.summoned)
        #expect(performing: {
            try TaskStep.decide(.cancel(reason: "重复"), task: t, whistle: whistle(for: t), by: self.dispatcher, now: sh(2025, 3, 3, 9, 5))
        }, throws: { ($0 as? WhistleError)?.code == "whistle.no_responders" })
        let other = TaskSummary(id: TaskID(UUID()), state: .acknowledged, nextDueAt: sh(2025, 3, 3, 10))
        let d = try TaskStep.decide(.cancel(reason: "重复"), task: t, whistle: whistle(for: t, others: [other]), by: dispatcher,
                                    now: sh(2025, 3, 3, 9, 5))
        #expect(d.task.state == .cancelled && d.task.nextDueAt == nil && d.withdrawsExtensions)
        let after = whistle(for: t, others: [other]).after(d.task)
        #expect(after.state == .open && after.nextDueAt == sh(2025, 3, 3, 10))
    }

    @Test func completingTheLastTaskCompletesTheWhistleButAClosedOneStaysClosed() {
        let before = task(.onSite)
        var t = before
        t.state = .completed
        let done = TaskSummary(id: TaskID(UUID()), state: .verified, nextDueAt: nil)
        #expect(whistle(for: before, others: [done]).after(t).state == .completed)
        #expect(whistle(for: before, others: [done], state: .closed).after(t).state == .closed)
    }

    @Test func overrulingAnObjectionSummonsAgain() throws {
        let t = task(.objected)
        let d = try TaskStep.decide(.overrule(reason: "属于职责"), task: t, whistle: whistle(for: t), by: dispatcher,
                                    now: sh(2025, 3, 3, 9, 10))
        #expect(d.task.state == .summoned && d.task.nextDueAt == t.deadlines.acknowledgeBy && d.event.detail["reason"] == "属于职责")
    }
}

/// `TaskRating.decide`: one whistle, one rating (一哨一考).
@Suite struct TaskRatingTests {
    let org = SampleOrg()

    func facts(_ whistleState: WhistleState, task state: TaskState) -> (TaskRecord, WhistleFacts) {
        let t = TaskRecord(id: TaskID(UUID()), whistleID: WhistleID(UUID()), unitID: org.agency.id, role: .lead, state: state,
                           deadlines: TaskDeadlines(acknowledgeBy: sh(2025, 3, 3, 9), arriveBy: sh(2025, 3, 3, 9), completeBy: sh(2025, 3, 3, 9)),
                           nextDueAt: nil, createdAt: sh(2025, 3, 3, 8))
        return (t, WhistleFacts(id: t.whistleID, districtID: org.district.id, appealID: nil, blowerUnitID: org.street.id,
                                state: whistleState, partyPaths: [org.street.path]))
    }

    @Test func theBlowerRatesAVerifiedTaskOfAClosedWhistleOnce() throws {
        let (t, w) = facts(.closed, task: .verified)
        let dispatcher = org.actor(org.street, .dispatcher)
        let d = try TaskRating.decide(grade: .good, comment: nil, task: t, whistle: w, alreadyRated: false, yearClosed: false,
                                      year: 2025, by: dispatcher, now: sh(2025, 3, 5), draws: .seeded(1))
        #expect(d.rating.grade == .good && d.rating.responderUnitID == org.agency.id && d.rating.raterUnitID == org.street.id)
        #expect(d.event.kind == .taskRated && d.event.detail["grade"] == "good")
        #expect(performing: { try TaskRating.decide(grade: .good, comment: nil, task: t, whistle: w, alreadyRated: true, yearClosed: false,
                                                    year: 2025, by: dispatcher, now: sh(2025, 3, 5), draws: .seeded(1)) },
                throws: { ($0 as? WhistleError)?.code == "rating.already_rated" })
        #expect(performing: { try TaskRating.decide(grade: .good, comment: nil, task: t, whistle: w, alreadyRated: false, yearClosed: true,
                                                    year: 2025, by: dispatcher, now: sh(2025, 3, 5), draws: .seeded(1)) },
                throws: { ($0 as? WhistleError)?.code == "rating.year_closed" })
        let (open, w2) = facts(.open, task: .completed)
        #expect(performing: { try TaskRating.decide(grade: .good, comment: nil, task: open, whistle: w2, alreadyRated: false,
                                                    yearClosed: false, year: 2025, by: dispatcher, now: sh(2025, 3, 5), draws: .seeded(1)) },
                throws: { ($0 as? WhistleError)?.code == "rating.whistle_not_closed" })
        #expect(performing: { try TaskRating.decide(grade: .good, comment: nil, task: t, whistle: w, alreadyRated: false, yearClosed: false,
                                                    year: 2025, by: org.actor(org.agency, .unitLeader), now: sh(2025, 3, 5), draws: .seeded(1)) },
                throws: { ($0 as? WhistleError)?.code == "auth.forbidden" })
        // One who does not see the case is refused before anything about the input is said.
        #expect(performing: { try TaskRating.decide(grade: nil, comment: nil, task: t, whistle: w, alreadyRated: false, yearClosed: false,
                                                    year: 2025, by: org.actor(org.otherStreet, .dispatcher), now: sh(2025, 3, 5), draws: .seeded(1)) },
                throws: { ($0 as? WhistleError)?.code == "auth.forbidden" })
        #expect(performing: { try TaskRating.decide(grade: nil, comment: nil, task: t, whistle: w, alreadyRated: false, yearClosed: false,
                                                    year: 2025, by: dispatcher, now: sh(2025, 3, 5), draws: .seeded(1)) },
                throws: { ($0 as? WhistleError)?.code == "input.missing" })
        #expect(TaskRating.year(of: sh(2025, 12, 31, 23, 30), in: shanghai) == 2025)
    }
}

/// `RatingAmendment.decide`: above the blower only, with a reason, never in a finalised year.
@Suite struct RatingAmendmentTests {
    let org = SampleOrg()

    var facts: RatingAmendment.Facts {
        RatingAmendment.Facts(ratingID: RatingID(UUID()), taskID: TaskID(UUID()), grade: .good, ratedAt: sh(2025, 3, 5),
                              whistleID: WhistleID(UUID()), districtID: org.district.id, appealID: nil, blowerPath: org.street.path)
    }

    @Test func aDistrictSupervisorAmendsWithAReason() throws {
        let supervisor = org.actor(org.district, .districtSupervisor)
        let d = try RatingAmendment.decide(grade: .poor, reason: "复核不实", facts: facts, yearClosed: false, year: 2025,
                                           by: supervisor, now: sh(2025, 3, 9))
        #expect(d.grade == .poor && d.event.from == "good" && d.event.to == "poor" && d.event.detail["reason"] == "复核不实")
        #expect(performing: { try RatingAmendment.decide(grade: .poor, reason: nil, facts: facts, yearClosed: false, year: 2025,
                                                         by: supervisor, now: sh(2025, 3, 9)) },
                throws: { ($0 as? WhistleError)?.code == "rating.amend_reason_required" })
        #expect(performing: { try RatingAmendment.decide(grade: .poor, reason: "r", facts: facts, yearClosed: true, year: 2025,
                                                         by: supervisor, now: sh(2025, 3, 9)) },
                throws: { ($0 as? WhistleError)?.code == "rating.year_closed" })
        #expect(performing: { try RatingAmendment.decide(grade: .poor, reason: "r", facts: facts, yearClosed: false, year: 2025,
                                                         by: org.actor(org.street, .dispatcher), now: sh(2025, 3, 9)) },
                throws: { ($0 as? WhistleError)?.code == "auth.forbidden" })
    }
}
