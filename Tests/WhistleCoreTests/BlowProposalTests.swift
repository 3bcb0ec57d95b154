import Foundation
import Testing
@testable import WhistleCore

/// `BlowProposal`: the blow form's proposed kind, reason and title.
@Suite struct BlowProposalTests {
    func item(supporting: [Responsibility]) -> CatalogueItem {
        CatalogueItem(id: UUID(), code: "CITY-01", classCode: "CITY", name: "占道经营", primary: .function("urban-management"),
                      supporting: supporting, limits: [:])
    }

    @Test func theKindFollowsTheUrgencyThenTheItemsUnits() {
        #expect(BlowProposal.kind(item: item(supporting: []), urgency: .emergency) == .emergency)
        #expect(BlowProposal.kind(item: item(supporting: [.function("market-regulation")]), urgency: .normal) == .jointAction)
        #expect(BlowProposal.kind(item: item(supporting: []), urgency: .urgent) == .rally)
        #expect(BlowProposal.kind(item: nil, urgency: .normal) == .rally)
        #expect(BlowProposal.reason(for: .jointAction) == .jointEnforcement && BlowProposal.reason(for: .emergency) == .emergency)
    }

    @Test func theTitleIsShortNotTheWholeDescription() {
        let description = "幸福路12号门前有商户长期占道摆摊，晚上噪音很大，多次反映未解决。"
        #expect(BlowProposal.title(description: description, itemName: "占道经营", address: "幸福路12号") == "占道经营（幸福路12号）")
        #expect(BlowProposal.title(description: description, itemName: nil, address: nil) == "幸福路12号门前有商户长期占道摆摊")
        #expect(BlowProposal.title(description: String(repeating: "很", count: 80), itemName: nil, address: nil).count == 30)
    }
}
