import Testing
@testable import WhistleCore

struct ValidateTests {
    @Test func textIsTrimmed() throws {
        #expect(try Validate.text("  路灯不亮\n", field: "title", max: 4) == "路灯不亮")
        #expect(try Validate.text(nil, field: "note", max: 10, required: false) == nil)
        #expect(try Validate.text("   ", field: "note", max: 10, required: false) == nil)
    }

    @Test(arguments: [nil, "", "  \n\t"] as [String?])
    func requiredTextMissing(value: String?) {
        let error = #expect(throws: WhistleError.self) { try Validate.required(value, field: "title", max: 10) }
        #expect(error?.code == "input.missing")
        #expect(error?.field == "title")
        #expect(error?.category == .invalid)
    }

    @Test func textTooLong() {
        let error = #expect(throws: WhistleError.self) { try Validate.text("路灯不亮了", field: "title", max: 4) }
        #expect(error?.code == "input.invalid")
        #expect(error?.field == "title")
        #expect(error?.params["reason"]?.contains("4") == true)
    }

    @Test func coordinates() throws {
        try Validate.coordinates(lat: nil, lon: nil)
        try Validate.coordinates(lat: 39.9, lon: 116.4)
        try Validate.coordinates(lat: -90, lon: 180)
        let cases: [(Double?, Double?, String, String)] = [
            (91, 116, "input.invalid", "lat"), (-90.5, 0, "input.invalid", "lat"),
            (39.9, 180.1, "input.invalid", "lon"), (39.9, nil, "input.missing", "lon"),
            (nil, 116.4, "input.missing", "lat"),
        ]
        for (lat, lon, code, field) in cases {
            let error = #expect(throws: WhistleError.self) { try Validate.coordinates(lat: lat, lon: lon) }
            #expect(error?.code == code)
            #expect(error?.field == field)
        }
    }

    @Test func phone() throws {
        #expect(try Validate.phone(" 13812345678 ", field: "phone") == "13812345678")
        #expect((#expect(throws: WhistleError.self) { try Validate.phone(nil, field: "phone") })?.code == "input.missing")
        let bad = #expect(throws: WhistleError.self) { try Validate.phone("call me", field: "contact") }
        #expect(bad?.code == "input.invalid")
        #expect(bad?.field == "contact")
    }

    @Test func distance() {
        #expect(distanceMetres(39.9, 116.4, 39.9, 116.4) == 0)
        let oneDegree = distanceMetres(0, 0, 1, 0)
        #expect(abs(oneDegree - 111_195) < 10)
        // Tiananmen to the Forbidden City's north gate, about 1.9 km
        let d = distanceMetres(39.9087, 116.3975, 39.9254, 116.3972)
        #expect(d > 1_800 && d < 1_950)
        #expect(abs(distanceMetres(10, 20, 30, 40) - distanceMetres(30, 40, 10, 20)) < 1e-6)
    }

    @Test func manualClock() {
        let start = sh(2025, 3, 3, 9)
        let clock = ManualClock(start)
        #expect(clock.now() == start)
        clock.advance(by: 90)
        #expect(clock.now() == start.addingTimeInterval(90))
        clock.set(sh(2025, 3, 7, 18))
        #expect(clock.now() == sh(2025, 3, 7, 18))
    }
}
