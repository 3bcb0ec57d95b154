import Foundation
import Testing
@testable import WhistleCore

/// `AppealIntake.decide`: which street receives an appeal, what is stored, what is refused.
@Suite struct AppealIntakeTests {
    let org = SampleOrg()
    let now = sh(2025, 3, 3, 10)

    var facts: AppealIntake.Facts {
        AppealIntake.Facts(org: OrgDirectory([org.district, org.street, org.otherStreet, org.community, org.grid,
                                              org.section, org.department, org.agency]),
                           item: nil, calendar: .standard, policy: .defaults)
    }

    func input(channel: Channel = .hotline12345, street: UUID? = nil, grid: UUID? = nil, item: UUID? = nil,
               urgency: Urgency? = nil, phone: String = "13812345678") -> NewAppeal {
        NewAppeal(channel: channel, appellantName: " 张三 ", appellantPhone: phone, streetID: street, gridID: grid,
                  address: "幸福路1号", description: "占道经营", itemID: item, urgency: urgency)
    }

    @Test func aDispatchersAppealGoesToTheirStreetWithItsPartyEventAndDueTime() throws {
        let dispatcher = org.actor(org.street, .dispatcher)
        let d = try AppealIntake.decide(input(grid: org.grid.id, urgency: .urgent), by: dispatcher, facts: facts, now: now,
                                        draws: .seeded(7))
        #expect(d.appeal.receivingUnitID == org.street.id)
        #expect(d.appeal.districtID == org.district.id)
        #expect(d.appeal.appellantName == "张三", "trimmed at the edge")
        #expect(d.appeal.state == .received && d.appeal.urgency == .urgent && d.appeal.gridID == org.grid.id)
        #expect(d.appeal.createdAt == now && d.appeal.createdBy == dispatcher.personID)
        #expect(d.appeal.dueAt == DeadlinePolicy.appealDue(urgency: .urgent, item: nil, from: now, calendar: .standard, policy: .defaults))
        #expect(d.party == CaseParty(subjectID: d.appeal.id.rawValue, unit: org.street))
        #expect(d.event.kind == .appealReceived && d.event.appealID == d.appeal.id && d.event.at == now)
        #expect(d.event.actor == EventActor(dispatcher))
        let numbered = d.numbered("A2025-000001")
        #expect(numbered.appeal.number == "A2025-000001" && numbered.event.detail["number"] == "A2025-000001")
    }

    @Test func seededDrawsMakeTheSameDecisionTwice() throws {
        let a = try AppealIntake.decide(input(grid: org.grid.id), by: org.actor(org.street, .dispatcher),
                                        facts: facts, now: now, draws: .seeded(42))
        let b = try AppealIntake.decide(input(grid: org.grid.id), by: org.actor(org.street, .dispatcher),
                                        facts: facts, now: now, draws: .seeded(42))
        #expect(a.appeal.id == b.appeal.id && a.appeal.trackingCode == b.appeal.trackingCode)
        let c = try AppealIntake.decide(input(grid: org.grid.id), by: org.actor(org.street, .dispatcher),
                                        facts: facts, now: now, draws: .seeded(43))
        #expect(c.appeal.id != a.appeal.id)
    }

    @Test func aCitizenOnlineIsRoutedByTheGrid() throws {
        let d = try AppealIntake.decide(input(channel: .citizenOnline, grid: org.grid.id), by: nil, facts: facts, now: now,
                                        draws: .seeded(1))
        #expect(d.appeal.receivingUnitID == org.street.id && d.appeal.createdBy == nil)
        #expect(d.event.actor == .citizen)
    }

    @Test func anAgencyTakesAppealsForTheStreetItIsStationedIn() throws {
        let street = try AppealIntake.receivingStreet(actor: org.actor(org.agency, .dispatcher), streetID: nil, grid: nil,
                                                      org: facts.org)
        #expect(street.id == org.street.id)
    }

    @Test(arguments: [
        ("gridId", "input.invalid"),        // a community is not a grid
        ("streetId", "input.invalid"),      // a community is not a street
    ])
    func theWrongKindOfUnitIsRefusedNamingTheField(field: String, code: String) {
        let bad = field == "gridId" ? input(grid: org.community.id) : input(street: org.community.id)
        #expect { try AppealIntake.decide(bad, by: org.actor(org.street, .dispatcher), facts: facts, now: now, draws: .seeded(1)) }
            throws: { ($0 as? WhistleError)?.field == field && ($0 as? WhistleError)?.code == code }
    }

    @Test func refusals() {
        let dispatcher = org.actor(org.street, .dispatcher)
        func refuses(_ i: NewAppeal, by actor: Actor?, _ code: String, field: String? = nil) {
            #expect(performing: { try AppealIntake.decide(i, by: actor, facts: facts, now: now, draws: .seeded(1)) },
                    throws: { error in
                        guard let e = error as? WhistleError else { return false }
                        return e.code == code && (field == nil || e.field == field)
                    })
        }
        // A dispatcher may not file into another street.
        refuses(input(street: org.otherStreet.id), by: dispatcher, "auth.forbidden")
        // The grid must lie in the receiving street.
        refuses(input(street: org.street.id, grid: UUID()), by: dispatcher, "unit.not_found", field: "gridId")
        // A citizen must say where: without a grid no street can be found.
        refuses(input(channel: .citizenOnline), by: nil, "input.missing", field: "gridId")
        // Online submissions come in as citizenOnline only.
        refuses(input(channel: .hotline12345, grid: org.grid.id), by: nil, "input.invalid", field: "channel")
        // An item the facts do not hold is not found.
        refuses(input(grid: org.grid.id, item: UUID()), by: dispatcher, "item.not_found", field: "itemId")
        // A phone that is not one.
        refuses(input(grid: org.grid.id, phone: "12ab"), by: dispatcher, "input.invalid", field: "appellantPhone")
        // Someone without the role to take appeals.
        refuses(input(grid: org.grid.id), by: org.actor(org.street, .unitStaff), "auth.forbidden")
    }

    @Test func aGridInAnotherStreetIsRefused() {
        var b = OrgBuilder()
        let district = b.add("D", .district), s1 = b.add("S1", .street, under: district), s2 = b.add("S2", .street, under: district)
        let c2 = b.add("C2", .community, under: s2), g2 = b.add("G2", .grid, under: c2)
        let facts = AppealIntake.Facts(org: OrgDirectory(b.units), item: nil, calendar: .standard, policy: .defaults)
        let dispatcher = Actor(personID: UUID(), personName: "甲", unit: s1, roles: [.dispatcher])
        #expect(throws: WhistleError.self) {
            try AppealIntake.decide(input(grid: g2.id), by: dispatcher, facts: facts, now: now, draws: .seeded(1))
        }
    }

    @Test func duplicateHintsAreOpenNearAndAtMostFive() throws {
        let d = try AppealIntake.decide(NewAppeal(channel: .hotline12345, appellantName: "甲", appellantPhone: "13812345678",
                                                  gridID: org.grid.id, address: "x", lat: 39.9, lon: 116.4, description: "y"),
                                        by: org.actor(org.street, .dispatcher), facts: facts, now: now, draws: .seeded(3))
        func candidate(_ state: AppealState, lat: Double?, lon: Double?, grid: UUID? = nil) -> DuplicateRule.Candidate {
            .init(id: AppealID(UUID()), number: "A", state: state, address: "", createdAt: now, lat: lat, lon: lon, gridID: grid)
        }
        let near = candidate(.received, lat: 39.9005, lon: 116.4)        // ~55 m
        let far = candidate(.received, lat: 39.91, lon: 116.4)           // ~1.1 km
        let closed = candidate(.closed, lat: 39.9, lon: 116.4)
        let noPlaceSameGrid = candidate(.handling, lat: nil, lon: nil, grid: org.grid.id)
        let noPlaceOtherGrid = candidate(.handling, lat: nil, lon: nil, grid: UUID())
        let hints = DuplicateRule.hints([near, far, closed, noPlaceSameGrid, noPlaceOtherGrid], for: d.appeal)
        // Without coordinates on one side, the same grid counts as near.
        #expect(hints.map(\.id) == [near.id, noPlaceSameGrid.id])
        var gridOnly = d.appeal; gridOnly.lat = nil; gridOnly.lon = nil
        #expect(DuplicateRule.hints([near, noPlaceSameGrid, noPlaceOtherGrid], for: gridOnly).map(\.id) == [noPlaceSameGrid.id])
        #expect(DuplicateRule.hints(Array(repeating: near, count: 9), for: d.appeal).count == 5)
        // From a store's rows: read only until five are found (the far and closed ones in
        // between read and skipped), none after.
        let rows = [far, near, closed, near, near, far, near, near, near, near]
        var read = 0
        let fromRows = DuplicateRule.hints(rows, for: d.appeal) { row -> DuplicateRule.Candidate in read += 1; return row }
        #expect(fromRows.count == 5 && fromRows.allSatisfy { $0.id == near.id })
        #expect(read == 8)
    }
}

@Suite struct DuplicateSearchBoxTests {
    /// Every point within the radius lies in the box, at the equator and in Beijing.
    @Test(arguments: [(0.0, 0.0), (39.9, 116.4), (53.5, 122.3)])
    func theBoxHoldsTheWholeCircle(lat: Double, lon: Double) {
        let box = DuplicateRule.searchBox(lat: lat, lon: lon)
        for degrees in stride(from: 0.0, to: 360, by: 15) {
            let bearing = degrees * .pi / 180
            // A point 299 m away along the bearing (small-distance approximation).
            let dLat = 299 * cos(bearing) / 111_320
            let dLon = 299 * sin(bearing) / (111_320 * cos(lat * .pi / 180))
            #expect(distanceMetres(lat, lon, lat + dLat, lon + dLon) <= DuplicateRule.radiusMetres)
            #expect(box.lat.contains(lat + dLat) && box.lon.contains(lon + dLon))
        }
    }
}
