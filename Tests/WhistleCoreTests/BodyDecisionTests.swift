import Foundation
import Testing
@testable import WhistleCore

/// `BodyDecision.decide`: a body's decision with its members present.
@Suite struct BodyDecisionTests {
    let org = SampleOrg()
    let now = sh(2025, 3, 3, 10)

    @Test func aBodyRecordsItsDecisionWithItsMembersAndAnEvaluationGoesToTheDistrict() throws {
        let secretary = PersonFacts(id: UUID(), name: "书记", unitIDs: [org.street.id])
        let stranger = PersonFacts(id: UUID(), name: "外单位", unitIDs: [org.department.id])
        let leader = org.actor(org.street, .unitLeader)
        let people = [secretary.id: secretary, stranger.id: stranger]
        let input = BodyDecisionInput(bodyUnitID: org.street.id, kind: .blowDecision, text: "研判：吹哨", presentPersonIDs: [secretary.id])
        let d = try BodyDecision.decide(input, by: leader, facts: .init(body: org.street, people: people, appeal: nil, whistle: nil),
                                        today: "2025-03-03", now: now, draws: .seeded(1))
        #expect(d.record.memberIDs == [secretary.id] && d.record.decidedOn == "2025-03-03" && d.notices.isEmpty)
        func refuses(_ i: BodyDecisionInput, by actor: Actor? = nil, whistle: WhistleRecord? = nil, _ code: String) {
            #expect(performing: {
                try BodyDecision.decide(i, by: actor ?? leader, facts: .init(body: org.street, people: people, appeal: nil, whistle: whistle),
                                        today: "2025-03-03", now: now, draws: .seeded(1))
            }, throws: { ($0 as? WhistleError)?.code == code })
        }
        refuses(input, by: org.actor(org.agency, .unitStaff), "auth.forbidden")
        refuses(BodyDecisionInput(bodyUnitID: org.street.id, kind: .blowDecision, text: "x", presentPersonIDs: [stranger.id]), "input.invalid")
        refuses(BodyDecisionInput(bodyUnitID: org.street.id, kind: .blowDecision, text: "x", presentPersonIDs: []), "input.missing")
        refuses(BodyDecisionInput(bodyUnitID: org.street.id, kind: .collectiveEvaluation, text: "x", presentPersonIDs: [secretary.id]),
                "input.missing")
        var supervision = WhistleRecord(id: WhistleID(UUID()), number: "W1", districtID: org.district.id, blowerUnitID: org.street.id,
                                        level: .street, kind: .rally, reason: .noAuthority, title: "履职监督", description: "x",
                                        appealID: nil, itemID: nil, urgency: .normal, leadOfficial: nil, state: .open, address: "x",
                                        gridID: nil, lat: nil, lon: nil, blownAt: now, blownBy: UUID(), nextDueAt: nil)
        let evaluation = BodyDecisionInput(bodyUnitID: org.street.id, kind: .collectiveEvaluation, whistleID: supervision.id.rawValue,
                                           text: "评价为好", presentPersonIDs: [secretary.id])
        refuses(evaluation, whistle: supervision, "decision.not_supervision")
        supervision.kind = .supervision
        let e = try BodyDecision.decide(evaluation, by: leader, facts: .init(body: org.street, people: people, appeal: nil, whistle: supervision),
                                        today: "2025-03-03", now: now, draws: .seeded(2))
        #expect(e.events.map(\.kind) == [.whistleEvaluated])
        #expect(e.notices.first?.audience == .unit(org.district.id, roles: [.unitLeader, .districtSupervisor]))
    }
}
