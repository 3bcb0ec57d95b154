import Foundation
import Testing
@testable import WhistleCore

/// `WhistleClosing.decide`: verification of the completed tasks, the appeal resolved with a
/// callback clock, and who may close.
@Suite struct WhistleClosingTests {
    let org = SampleOrg()
    let now = sh(2025, 3, 4, 10)

    func facts(appeal: Bool, callbackRunning: Bool = false, whistleState: WhistleState = .completed) -> WhistleClosing.Facts {
        let appealRecord = AppealRecord(id: AppealID(UUID()), number: "A1", trackingCode: "X", districtID: org.district.id,
                                        receivingUnitID: org.street.id, channel: .hotline12345, appellantName: "甲",
                                        appellantPhone: "13812345678", gridID: nil, address: "幸福路", lat: nil, lon: nil,
                                        description: "占道", itemID: nil, urgency: .normal, state: .whistled, dueAt: nil,
                                        photos: [], createdAt: sh(2025, 3, 3, 9), createdBy: nil)
        let whistle = WhistleRecord(id: WhistleID(UUID()), number: "W1", districtID: org.district.id, blowerUnitID: org.street.id,
                                    level: .street, kind: .rally, reason: .jointEnforcement, title: "占道经营", description: "d",
                                    appealID: appeal ? appealRecord.id.rawValue : nil, itemID: nil, urgency: .normal,
                                    leadOfficial: nil, state: whistleState, address: "幸福路", gridID: nil, lat: nil, lon: nil,
                                    blownAt: sh(2025, 3, 3, 9), blownBy: UUID(), nextDueAt: nil)
        func task(_ state: TaskState) -> TaskRecord {
            TaskRecord(id: TaskID(UUID()), whistleID: whistle.id, unitID: org.agency.id, role: .lead, state: state,
                       deadlines: TaskDeadlines(acknowledgeBy: now, arriveBy: now, completeBy: now), nextDueAt: nil,
                       createdAt: sh(2025, 3, 3, 9))
        }
        return WhistleClosing.Facts(whistle: whistle, tasks: [task(.completed), task(.verified), task(.cancelled)],
                                    appeal: appeal ? appealRecord : nil, callbackRunning: callbackRunning,
                                    calendar: .standard, policy: .defaults, escalation: .standard)
    }

    @Test func closingVerifiesTheCompletedTasksAndResolvesTheAppealWithACallbackClock() throws {
        let d = try WhistleClosing.decide(note: nil, by: org.actor(org.street, .dispatcher), facts: facts(appeal: true),
                                          now: now, draws: .seeded(2))
        #expect(d.whistle.state == .closed && d.whistle.closedAt == now && d.whistle.nextDueAt == nil)
        #expect(d.verified.count == 1 && d.verified.allSatisfy { $0.state == .verified && $0.verifiedAt == now })
        #expect(d.appeal?.state == .resolved && d.appeal?.result == "占道经营" && d.appeal?.resolvedAt == now)
        guard case .start(let clock)? = d.callback else { Issue.record("no callback clock"); return }
        #expect(clock.kind == .callback && clock.unitID == org.street.id && clock.dueAt > now)
        #expect(d.events.map(\.kind) == [.taskVerified, .whistleClosed, .appealResolved])
    }

    @Test func withoutANoteTheAppellantIsToldTheUnitsOwnResultsLeadFirst() throws {
        var f = facts(appeal: true)
        f.tasks[0].result = "已清理占道摊点"
        f.tasks[0].role = .support
        var lead = f.tasks[0]
        lead.id = TaskID(UUID())
        lead.role = .lead
        lead.result = "已对摊主立案处罚"
        f.tasks.append(lead)
        let d = try WhistleClosing.decide(note: nil, by: org.actor(org.street, .dispatcher), facts: f, now: now, draws: .seeded(2))
        #expect(d.appeal?.result == "已对摊主立案处罚\n已清理占道摊点")
        #expect(WhistleClosing.resultText([]) == nil)
    }

    @Test func aRunningCallbackIsNotStartedTwiceAndAWhistleWithoutAppealResolvesNothing() throws {
        let again = try WhistleClosing.decide(note: "好", by: org.actor(org.street, .dispatcher),
                                              facts: facts(appeal: true, callbackRunning: true), now: now, draws: .seeded(2))
        #expect(again.callback == nil && again.appeal?.result == "好")
        let alone = try WhistleClosing.decide(note: nil, by: org.actor(org.street, .dispatcher), facts: facts(appeal: false),
                                              now: now, draws: .seeded(2))
        #expect(alone.appeal == nil && alone.callback == nil && alone.events.map(\.kind) == [.taskVerified, .whistleClosed])
    }

    @Test func onlyTheBlowerClosesAndOnlyACompletedOrOpenWhistle() {
        #expect(throws: WhistleError.self) {
            try WhistleClosing.decide(note: nil, by: org.actor(org.agency, .unitStaff), facts: facts(appeal: false), now: now,
                                      draws: .seeded(1))
        }
        #expect(throws: WhistleError.self) {
            try WhistleClosing.decide(note: nil, by: org.actor(org.street, .dispatcher),
                                      facts: facts(appeal: false, whistleState: .closed), now: now, draws: .seeded(1))
        }
    }
}

/// `WhistleCancelling.decide`: withdrawing a whole open whistle.
@Suite struct WhistleCancellingTests {
    let closing = WhistleClosingTests()

    @Test func anOpenWhistleIsWithdrawnWithItsWorkingTasksAndItsAppealGoesBackToTriage() throws {
        var facts = closing.facts(appeal: true, whistleState: .open)
        facts.tasks[0].state = .acknowledged
        let d = try WhistleCancelling.decide(reason: "误吹哨", by: closing.org.actor(closing.org.street, .dispatcher), facts: facts,
                                             now: closing.now)
        #expect(d.whistle.state == .cancelled && d.whistle.closedAt == closing.now)
        #expect(d.cancelled.count == 1 && d.cancelled[0].state == .cancelled && d.cancelled[0].nextDueAt == nil,
                "only the working task; the verified and the cancelled ones stay")
        #expect(d.appeal?.state == .received)
        #expect(d.events.map(\.kind) == [.taskCancelled, .whistleCancelled, .appealReopened])
    }

    @Test func onlyTheBlowerAndOnlyAnOpenWhistle() {
        #expect(throws: WhistleError.self) {
            try WhistleCancelling.decide(reason: "x", by: closing.org.actor(closing.org.agency, .unitStaff),
                                         facts: closing.facts(appeal: false, whistleState: .open), now: closing.now)
        }
        #expect(throws: WhistleError.self) {
            try WhistleCancelling.decide(reason: "x", by: closing.org.actor(closing.org.street, .dispatcher),
                                         facts: closing.facts(appeal: false, whistleState: .completed), now: closing.now)
        }
        #expect(throws: WhistleError.self) {
            try WhistleCancelling.decide(reason: " ", by: closing.org.actor(closing.org.street, .dispatcher),
                                         facts: closing.facts(appeal: false, whistleState: .open), now: closing.now)
        }
    }
}
