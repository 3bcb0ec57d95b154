import Foundation
import Testing
@testable import WhistleCore

/// `Supervision.order` and `WhistleHold`: a supervisor's order and the hold on a whistle,
/// allowed and refused, and what each moves.
@Suite struct SupervisionDecisionTests {
    let org = SampleOrg()
    let now = sh(2025, 3, 3, 9, 20)

    func task(_ state: TaskState = .summoned) -> TaskRecord {
        TaskRecord(id: TaskID(UUID()), whistleID: WhistleID(UUID()), unitID: org.agency.id, role: .lead, state: state,
                   deadlines: TaskDeadlines(acknowledgeBy: sh(2025, 3, 3, 9, 30), arriveBy: sh(2025, 3, 3, 10),
                                            completeBy: sh(2025, 3, 3, 17)),
                   nextDueAt: sh(2025, 3, 3, 9, 30), createdAt: sh(2025, 3, 3, 9))
    }

    func facts(for t: TaskRecord) -> WhistleFacts {
        WhistleFacts(id: t.whistleID, districtID: org.district.id, appealID: nil, blowerUnitID: org.street.id, state: .open,
                     partyPaths: [org.street.path, org.agency.path])
    }

    func whistle(_ state: WhistleState = .open) -> WhistleRecord {
        WhistleRecord(id: WhistleID(UUID()), number: "W2025-000001", districtID: org.district.id, blowerUnitID: org.street.id,
                      level: .street, kind: .rally, reason: .jointEnforcement, title: "占道", description: "早市", appealID: nil,
                      itemID: nil, urgency: .normal, leadOfficial: nil, state: state, address: "幸福路", gridID: nil, lat: nil, lon: nil,
                      blownAt: sh(2025, 3, 3, 9), blownBy: UUID(), nextDueAt: sh(2025, 3, 3, 9, 30))
    }

    // Each actor once: `SampleOrg.actor` draws a new person every call.
    let supervisor: Actor
    let dispatcher: Actor
    init() {
        supervisor = org.actor(org.district, .districtSupervisor)
        dispatcher = org.actor(org.street, .dispatcher)
    }

    @Test func anOrderWithADeadlineMovesTheRunningClockAndKeepsTheLaterDeadlinesAfterIt() throws {
        let t = task()
        let d = try Supervision.order(note: "立即响应", deadline: sh(2025, 3, 3, 11), task: t, whistle: facts(for: t),
                                      blowerPath: org.street.path, running: [.complete, .acknowledge, .arrive], by: supervisor,
                                      now: now, id: UUID())
        // The earliest running step takes the deadline; arrival and completion never fall before it.
        #expect(d.movedClock == .acknowledge)
        #expect(d.task.deadlines.acknowledgeBy == sh(2025, 3, 3, 11) && d.task.deadlines.arriveBy == sh(2025, 3, 3, 11))
        #expect(d.task.deadlines.completeBy == sh(2025, 3, 3, 17) && d.task.nextDueAt == sh(2025, 3, 3, 11))
        #expect(d.order.unitID == org.agency.id && d.order.issuedBy == supervisor.personID && d.order.newDueAt == sh(2025, 3, 3, 11))
        #expect(d.event.kind == .taskSupervised && d.event.detail["deadline"] == iso8601(sh(2025, 3, 3, 11)))
        // Without a deadline nothing moves.
        let plain = try Supervision.order(note: "请加快", deadline: nil, task: t, whistle: facts(for: t), blowerPath: org.street.path,
                                          running: [], by: supervisor, now: now, id: UUID())
        #expect(plain.movedClock == nil && plain.task == t && plain.event.detail["deadline"] == "")
    }

    @Test func ordersAreRefusedWhenTheyMustBe() {
        let t = task()
        func refuses(note: String? = "督办", deadline: Date? = nil, task: TaskRecord? = nil, running: [ClockKind] = [.acknowledge],
                     by actor: Actor? = nil, _ code: String) {
            let task = task ?? t
            #expect(performing: {
                try Supervision.order(note: note, deadline: deadline, task: task, whistle: facts(for: task), blowerPath: org.street.path,
                                      running: running, by: actor ?? supervisor, now: now, id: UUID())
            }, throws: { ($0 as? WhistleError)?.code == code })
        }
        refuses(note: " ", "input.missing")
        refuses(deadline: now, "deadline.in_past")
        refuses(by: dispatcher, "auth.forbidden")
        refuses(task: task(.verified), "task.illegal_transition")
        refuses(deadline: sh(2025, 3, 3, 11), running: [], "supervision.nothing_running")
    }

    @Test func aHoldIsAskedApprovedAndEndedMovingEveryDeadlineByThePause() throws {
        let w = whistle()
        let asked = try WhistleHold.request(reason: "等待审批", whistle: w, open: false, by: dispatcher, now: now, id: UUID())
        #expect(asked.hold.state == .requested && asked.event.kind == .holdRequested)
        let approved = try WhistleHold.decide(approve: true, reason: nil, hold: asked.hold, whistle: w, blowerPath: org.street.path,
                                              by: supervisor, now: sh(2025, 3, 3, 10))
        #expect(approved.hold.state == .inForce && approved.pausesClocks && approved.hold.startedAt == sh(2025, 3, 3, 10))
        let paused = PausedClock(id: UUID(), startedAt: sh(2025, 3, 3, 9), dueAt: sh(2025, 3, 3, 17), pausedAt: sh(2025, 3, 3, 10),
                                 pausedSeconds: 60, firedSteps: 0, plan: .standard)
        var live = task(.onSite)
        live.nextDueAt = live.deadlines.completeBy
        var done = task(.verified)
        done.nextDueAt = nil
        let ended = try WhistleHold.end(hold: approved.hold, whistle: w, blowerPath: org.street.path, paused: [paused], tasks: [live, done],
                                        by: dispatcher, now: sh(2025, 3, 3, 12))
        #expect(ended.hold.state == .ended && ended.hold.endedAt == sh(2025, 3, 3, 12))
        let resumed = try #require(ended.resumed.first)
        #expect(resumed.dueAt == sh(2025, 3, 3, 19) && resumed.startedAt == sh(2025, 3, 3, 11) && resumed.pausedSeconds == 7260)
        #expect(resumed.pausedAt == nil && resumed.nextFireAt != nil)
        #expect(ended.moved.map(\.id) == [live.id] && ended.moved.first?.deadlines.completeBy == sh(2025, 3, 3, 19))
        #expect(ended.whistleNextDueAt == sh(2025, 3, 3, 19) && ended.event.detail["pausedSeconds"] == "7200")
    }

    @Test func holdsAreRefusedWhenTheyMustBe() {
        let w = whistle()
        let hold = HoldRecord(id: HoldID(UUID()), whistleID: w.id, requestedBy: UUID(), reason: "等待", state: .requested, requestedAt: now)
        func code(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch { return (error as? WhistleError)?.code }
        }
        #expect(code { _ = try WhistleHold.request(reason: "", whistle: w, open: false, by: dispatcher, now: now, id: UUID()) } == "input.missing")
        #expect(code { _ = try WhistleHold.request(reason: "等待", whistle: w, open: true, by: dispatcher, now: now, id: UUID()) } == "hold.already_open")
        #expect(code { _ = try WhistleHold.request(reason: "等待", whistle: whistle(.closed), open: false, by: dispatcher, now: now, id: UUID()) }
                == "whistle.illegal_transition")
        #expect(code { _ = try WhistleHold.request(reason: "等待", whistle: w, open: false, by: org.actor(org.otherStreet, .dispatcher),
                                                   now: now, id: UUID()) } == "auth.forbidden")
        // Only a supervisor decides; a refusal gives a reason; a hold is decided once.
        #expect(code { _ = try WhistleHold.decide(approve: true, reason: nil, hold: hold, whistle: w, blowerPath: org.street.path,
                                                  by: dispatcher, now: now) } == "auth.forbidden")
        #expect(code { _ = try WhistleHold.decide(approve: false, reason: nil, hold: hold, whistle: w, blowerPath: org.street.path,
                                                  by: supervisor, now: now) } == "input.missing")
        var refused = hold
        refused.state = .refused
        #expect(code { _ = try WhistleHold.decide(approve: true, reason: nil, hold: refused, whistle: w, blowerPath: org.street.path,
                                                  by: supervisor, now: now) } == "hold.illegal_transition")
        // Only a hold in force ends, and only by the blower or a supervisor.
        #expect(code { _ = try WhistleHold.end(hold: hold, whistle: w, blowerPath: org.street.path, paused: [], tasks: [],
                                               by: dispatcher, now: now) } == "hold.illegal_transition")
        var inForce = hold
        inForce.state = .inForce
        #expect(code { _ = try WhistleHold.end(hold: inForce, whistle: w, blowerPath: org.street.path, paused: [], tasks: [],
                                               by: org.actor(org.agency, .unitStaff), now: now) } == "auth.forbidden")
    }
}
