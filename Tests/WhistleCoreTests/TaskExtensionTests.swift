import Foundation
import Testing
@testable import WhistleCore

/// `TaskExtension`: a responder asks for more time, the blower grants or refuses; allowed
/// and refused cases, and what a grant moves.
@Suite struct TaskExtensionTests {
    let org = SampleOrg()
    let now = sh(2025, 3, 3, 12)

    func task(_ state: TaskState = .onSite) -> TaskRecord {
        TaskRecord(id: TaskID(UUID()), whistleID: WhistleID(UUID()), unitID: org.agency.id, role: .lead, state: state,
                   deadlines: TaskDeadlines(acknowledgeBy: sh(2025, 3, 3, 9, 30), arriveBy: sh(2025, 3, 3, 10),
                                            completeBy: sh(2025, 3, 3, 17)),
                   nextDueAt: sh(2025, 3, 3, 17), createdAt: sh(2025, 3, 3, 9))
    }

    func whistle(_ state: WhistleState = .open, for t: TaskRecord) -> WhistleFacts {
        WhistleFacts(id: t.whistleID, districtID: org.district.id, appealID: UUID(), blowerUnitID: org.street.id, state: state,
                     partyPaths: [org.street.path, org.agency.path])
    }

    // Each actor once: `SampleOrg.actor` draws a new person every call.
    let staff: Actor
    let dispatcher: Actor
    init() {
        staff = org.actor(org.agency, .unitStaff)
        dispatcher = org.actor(org.street, .dispatcher)
    }

    func request(for t: TaskRecord, _ state: ExtensionState = .pending) -> ExtensionRecord {
        ExtensionRecord(id: ExtensionID(UUID()), taskID: t.id, requestedBy: staff.personID, reason: "需协调物业", requestedUntil: sh(2025, 3, 4, 17),
                        state: state, requestedAt: sh(2025, 3, 3, 11))
    }

    @Test func aResponderAsksForALaterDeadline() throws {
        let t = task(), id = UUID()
        let asked = try TaskExtension.ask(until: sh(2025, 3, 4, 17), reason: " 需协调物业 ", task: t, whistle: whistle(for: t),
                                          pending: false, by: staff, now: now, id: id)
        #expect(asked.request == ExtensionRecord(id: ExtensionID(id), taskID: t.id, requestedBy: staff.personID, reason: "需协调物业",
                                                 requestedUntil: sh(2025, 3, 4, 17), state: .pending, requestedAt: now))
        #expect(asked.event.kind == .taskExtensionRequested && asked.event.taskID == t.id && asked.event.from == nil)
        #expect(asked.event.detail == ["until": iso8601(sh(2025, 3, 4, 17)), "reason": "需协调物业"])
    }

    @Test func askingIsRefusedWhenItMustBe() {
        let t = task()
        func refuses(until: Date? = sh(2025, 3, 4, 17), reason: String? = "原因", task: TaskRecord? = nil, whistle w: WhistleFacts? = nil,
                     pending: Bool = false, by actor: Actor? = nil, _ code: String) {
            let task = task ?? t
            #expect(performing: {
                try TaskExtension.ask(until: until, reason: reason, task: task, whistle: w ?? whistle(for: task), pending: pending,
                                      by: actor ?? staff, now: now, id: UUID())
            }, throws: { ($0 as? WhistleError)?.code == code })
        }
        refuses(reason: " ", "input.missing")
        refuses(until: nil, "input.missing")
        // Not the responder: the blower, or someone who does not see the case.
        refuses(by: dispatcher, "auth.forbidden")
        refuses(by: org.actor(org.otherStreet, .unitStaff), "auth.forbidden")
        // Only while at work: not before acknowledging, not after completing, not on a closed whistle.
        refuses(task: task(.summoned), "task.illegal_transition")
        refuses(task: task(.completed), "task.illegal_transition")
        refuses(whistle: whistle(.closed, for: t), "whistle.illegal_transition")
        // A later deadline than the current one, and one request at a time.
        refuses(until: sh(2025, 3, 3, 17), "input.invalid")
        refuses(pending: true, "extension.already_pending")
    }

    @Test func aGrantMovesTheCompletionDeadlineAndItsClock() throws {
        let t = task(), r = request(for: t)
        let d = try TaskExtension.decide(grant: true, reason: nil, request: r, task: t, whistle: whistle(for: t), by: dispatcher, now: now)
        #expect(d.request.state == .granted && d.request.decidedBy == dispatcher.personID && d.request.decidedAt == now)
        #expect(d.task.deadlines.completeBy == sh(2025, 3, 4, 17) && d.task.nextDueAt == sh(2025, 3, 4, 17))
        #expect(d.movesCompletionClockTo == sh(2025, 3, 4, 17))
        #expect(d.event.kind == .taskExtensionGranted)
        #expect(d.event.detail == ["reason": "", "from": iso8601(sh(2025, 3, 3, 17)), "to": iso8601(sh(2025, 3, 4, 17))])
        // An acknowledged task's next deadline is still its arrival.
        let acknowledged = task(.acknowledged)
        let early = try TaskExtension.decide(grant: true, reason: nil, request: request(for: acknowledged), task: acknowledged,
                                             whistle: whistle(for: acknowledged), by: dispatcher, now: now)
        #expect(early.task.nextDueAt == acknowledged.deadlines.arriveBy)
    }

    @Test func aRefusalKeepsTheDeadlineAndNeedsAReason() throws {
        let t = task(), r = request(for: t)
        let d = try TaskExtension.decide(grant: false, reason: "时限足够", request: r, task: t, whistle: whistle(for: t), by: dispatcher,
                                         now: now)
        #expect(d.request.state == .refused && d.request.decisionReason == "时限足够")
        #expect(d.task == t && d.movesCompletionClockTo == nil && d.event.kind == .taskExtensionRefused)
        func refuses(grant: Bool = true, reason: String? = nil, request: ExtensionRecord? = nil, task: TaskRecord? = nil,
                     by actor: Actor? = nil, _ code: String) {
            let task = task ?? t
            #expect(performing: {
                try TaskExtension.decide(grant: grant, reason: reason, request: request ?? r, task: task, whistle: whistle(for: task),
                                         by: actor ?? dispatcher, now: now)
            }, throws: { ($0 as? WhistleError)?.code == code })
        }
        refuses(grant: false, "input.missing")
        // Only the blower's side decides; the responder does not grant itself more time.
        refuses(by: staff, "auth.forbidden")
        // A request is decided once.
        refuses(request: request(for: t, .granted), "extension.illegal_transition")
        refuses(request: request(for: t, .withdrawn), "extension.illegal_transition")
        refuses(task: task(.completed), "task.illegal_transition")
    }

    @Test func aMovedClockCountsTheStepsBehindNowAsFired() {
        let start = sh(2025, 3, 3, 9)
        let schedule = ClockSchedule(start: start, due: sh(2025, 3, 3, 17), plan: .standard)
        let later = schedule.moved(to: sh(2025, 3, 4, 17), now: sh(2025, 3, 3, 12))
        #expect(later.clearsEscalation)
        #expect(later.nextFireAt > sh(2025, 3, 3, 12))
        var moved = schedule
        moved.due = sh(2025, 3, 4, 17)
        #expect(moved.step(later.firedSteps).at == later.nextFireAt)
        #expect(later.firedSteps == 0 || moved.step(later.firedSteps - 1).at <= sh(2025, 3, 3, 12))
        // A deadline moved into the past keeps the escalation reached.
        #expect(!schedule.moved(to: sh(2025, 3, 3, 11), now: sh(2025, 3, 3, 12)).clearsEscalation)
    }
}
