import Foundation
import Testing
@testable import WhistleCore

/// Open311 GeoReport v2's rules: status from Whistle's states, what the public may read, where
/// a request goes, the query's defaults and limits; and API keys' admission.
struct Open311Tests {
    let org = SampleOrg()

    func appeal(_ state: AppealState, result: String? = nil) -> AppealRecord {
        AppealRecord(id: AppealID(UUID()), number: "A2025-000007", trackingCode: "ABCDEFGHJK", districtID: org.district.id,
                     receivingUnitID: org.street.id, channel: .citizenOnline, appellantName: "李四", appellantPhone: "13912345678",
                     gridID: nil, address: "幸福路 1 号", lat: 39.9, lon: 116.4, description: "路灯不亮", itemID: nil, urgency: .normal,
                     state: state, dueAt: sh(2025, 3, 10, 18), result: result, photos: [], createdAt: sh(2025, 3, 3, 10), createdBy: nil)
    }

    func facts(_ state: AppealState, result: String? = nil, handler: String? = nil, lead: String? = nil) -> Open311.RequestFacts {
        Open311.RequestFacts(appeal: appeal(state, result: result), item: nil, streetName: "三里屯街道", handlerName: handler,
                             leadName: lead, updatedAt: sh(2025, 3, 4, 9))
    }

    @Test func statusIsOpenExactlyWhileTheAppealIsWorked() {
        for state in AppealState.allCases {
            #expect((Open311.status(state) == .open) == state.isOpen, "\(state)")
        }
        #expect(Open311.status(.resolved) == .closed)
        #expect(Set(Open311.states([.open])) == Set(AppealState.openStates))
        #expect(Set(Open311.states([.open, .closed])) == Set(AppealState.allCases))
    }

    @Test func theAgencyAndNotesAreWhatACitizenUnderstands() {
        #expect(Open311.agencyResponsible(facts(.received)) == "三里屯街道")
        #expect(Open311.agencyResponsible(facts(.handling, handler: "幸福社区")) == "幸福社区")
        #expect(Open311.agencyResponsible(facts(.whistled, lead: "区城管执法局")) == "区城管执法局")
        #expect(Open311.statusNotes(facts(.whistled, lead: "区城管执法局")) == "三里屯街道已吹哨，区城管执法局等部门到场处置中")
        #expect(Open311.statusNotes(facts(.resolved, result: "已更换灯泡", lead: "区城管执法局")) == "已办结：已更换灯泡；等待回访")
        #expect(Open311.statusNotes(facts(.dismissed, result: "不属于本街道"), language: .en) == "Not accepted: 不属于本街道")
        #expect(Open311.statusNotes(facts(.closed)) == "已办结")
    }

    @Test func aRequestCarriesPublicFieldsOnly() {
        let r = Open311.request(facts(.whistled, lead: "区城管执法局"))
        #expect(r.id == "A2025-000007")
        #expect(r.status == .open)
        #expect(r.expectedAt == sh(2025, 3, 10, 18))
        #expect(r.updatedAt == sh(2025, 3, 4, 9))
        let text = String(describing: r)
        for secret in ["李四", "13912345678", "ABCDEFGHJK"] { #expect(!text.contains(secret), "\(secret) leaked") }
        // A closed request expects nothing any more.
        #expect(Open311.request(facts(.closed)).expectedAt == nil)
    }

    @Test func theStreetComesFromTheNamedStreetThenTheBoundaryThenTheOnlyStreet() throws {
        let streets = [org.street, org.otherStreet]
        let square = [GeoPoint(lat: 39, lon: 116), GeoPoint(lat: 39, lon: 117), GeoPoint(lat: 40, lon: 117),
                      GeoPoint(lat: 40, lon: 116), GeoPoint(lat: 39, lon: 116)]
        let areas = [AreaBoundary(unit: org.grid, shape: try GeoShape(polygons: [[square]]))]
        let inside = GeoPoint(lat: 39.5, lon: 116.5), outside = GeoPoint(lat: 10, lon: 10)

        let located = try Open311.place(point: inside, streetCode: nil, streets: streets, areas: areas)
        #expect(located.street == org.street && located.grid == org.grid)
        let named = try Open311.place(point: inside, streetCode: "S2", streets: streets, areas: areas)
        #expect(named.street == org.otherStreet && named.grid == nil, "a grid of another street is dropped")
        #expect(try Open311.place(point: nil, streetCode: nil, streets: [org.street], areas: []).street == org.street)
        #expect(throws: WhistleError.missing("attribute[street]")) { _ = try Open311.place(point: nil, streetCode: nil, streets: streets, areas: []) }
        #expect(throws: WhistleError("open311.outside", .invalid, field: "lat")) {
            _ = try Open311.place(point: outside, streetCode: nil, streets: streets, areas: areas)
        }
        let unknown = #expect(throws: WhistleError.self) { _ = try Open311.place(point: nil, streetCode: "S9", streets: streets, areas: []) }
        #expect(unknown?.field == "attribute[street]")
    }

    @Test func theDefinitionAsksForTheStreetOnlyWhereTheLocationCannotTell() throws {
        let one = Open311.attributes(streets: [org.street], locatable: false)
        #expect(one.map(\.code) == ["urgency"])
        #expect(one[0].values.map(\.key) == ["normal", "urgent", "emergency"] && !one[0].required)
        let two = Open311.attributes(streets: [org.otherStreet, org.street], locatable: false)
        #expect(two.map(\.code) == ["urgency", "street"] && two[1].required && two[1].values.map(\.key) == ["S1", "S2"])
        #expect(!Open311.attributes(streets: [org.otherStreet, org.street], locatable: true)[1].required)
        #expect(try Open311.urgency(nil) == .normal)
        #expect(try Open311.urgency("urgent") == .urgent)
    }

    @Test func theQueryDefaultsToTheLast90DaysAndRefusesMore() throws {
        let now = sh(2025, 6, 1, 12)
        let q = try Open311.query(ids: nil, serviceCodes: "A, B", status: "open", start: nil, end: nil, now: now)
        #expect(q.end == now && q.start == now.addingTimeInterval(-90 * 86400))
        #expect(q.serviceCodes == ["A", "B"] && Set(q.states) == Set(AppealState.openStates))
        #expect(throws: WhistleError.self) { _ = try Open311.query(ids: nil, serviceCodes: nil, status: nil, start: sh(2025, 1, 1), end: now, now: now) }
        #expect(throws: WhistleError.self) { _ = try Open311.query(ids: nil, serviceCodes: nil, status: nil, start: now, end: sh(2025, 1, 1), now: now) }
        // Ids override the range.
        let ids = try Open311.query(ids: "A1,A2", serviceCodes: nil, status: nil, start: sh(2024, 1, 1), end: now, now: now)
        #expect(ids.ids == ["A1", "A2"])
    }

    @Test func datesAreW3CWithTheirOffset() throws {
        #expect(Open311.datetime(sh(2025, 3, 3, 10), timeZone: shanghai) == "2025-03-03T10:00:00+08:00")
        #expect(try Open311.date("2025-03-03T10:00:00+08:00", field: "start_date", timeZone: shanghai) == sh(2025, 3, 3, 10))
        #expect(try Open311.date("2025-03-03T02:00:00Z", field: "start_date", timeZone: shanghai) == sh(2025, 3, 3, 10))
        #expect(try Open311.date("2025-03-03", field: "start_date", timeZone: shanghai) == sh(2025, 3, 3))
        let bad = #expect(throws: WhistleError.self) { _ = try Open311.date("yesterday", field: "end_date", timeZone: shanghai) }
        #expect(bad?.field == "end_date")
    }

    @Test func namesAndFields() {
        #expect(Open311.appellantName(first: "四", last: "李") == "李四")
        #expect(Open311.appellantName(first: "Jane", last: "Doe") == "Jane Doe")
        #expect(Open311.appellantName(first: nil, last: " ") == "网上市民")
        #expect(Open311.parameter(forField: "appellantPhone") == "phone")
        #expect(Open311.parameter(forField: "lon") == "long")
    }

    @Test func keysAreAdmittedForTheirPurposeAndDistrictOnly() throws {
        let key = ApiKeyRecord(id: UUID(), name: "app", purpose: .open311, districtID: org.district.id, prefix: "wk_abcde", createdAt: sh(2025, 3, 3))
        #expect(try ApiKeyRules.admit(key, purpose: .open311, district: org.district.id) == key)
        #expect(throws: WhistleError("api_key.invalid", .forbidden, field: "api_key")) { _ = try ApiKeyRules.admit(key, purpose: .hotline) }
        var revoked = key
        revoked.revokedAt = sh(2025, 3, 4)
        #expect(throws: WhistleError("api_key.invalid", .forbidden, field: "api_key")) { _ = try ApiKeyRules.admit(revoked, purpose: .open311) }
        #expect(throws: WhistleError("api_key.other_district", .forbidden, field: "api_key")) {
            _ = try ApiKeyRules.admit(key, purpose: .open311, district: UUID())
        }
        let valid = try ApiKeyRules.validate(name: " 市民通 ", purpose: "open311")
        #expect(valid.name == "市民通" && valid.purpose == .open311)
        #expect(throws: WhistleError.missing("name")) { _ = try ApiKeyRules.validate(name: "", purpose: "open311") }
        #expect(try ApiKeyRules.district(named: nil, among: [org.district]) == org.district)
        #expect(throws: WhistleError.missing("districtId")) { _ = try ApiKeyRules.district(named: nil, among: [org.district, org.street]) }
        #expect(try ApiKeyRules.district(named: "D", among: [org.district]) == org.district)
    }
}
