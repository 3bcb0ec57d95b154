import Foundation
import Testing
import Vapor
import VaporTesting

/// The hint of likely duplicates: same item, same street, last 7 days, still open, nearby.
@Suite struct DuplicateHintTests {
    @Test func nearbyRecentOpenAppealsOfTheSameItemAreHinted() async throws {
        try await TestApp.run { t in
            let item = try await t.itemID("SAFE-01")
            func appeal(lat: Double, lon: Double, item: String?, user: String = "disp1") async throws -> [String: Any] {
                var body: [String: Any] = ["channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678",
                                           "address": "幸福路1号", "description": "占道经营", "lat": lat, "lon": lon]
                if let item { body["itemId"] = item }
                return try await t.send(.POST, "/api/v1/appeals", as: user, json: body).json
            }
            let first = try await appeal(lat: 39.93000, lon: 116.45000, item: item)
            _ = try await appeal(lat: 39.95000, lon: 116.45000, item: item)        // ~2.2 km away
            _ = try await appeal(lat: 39.93001, lon: 116.45001, item: nil)         // no item
            t.clock.advance(by: 3600)
            let second = try await appeal(lat: 39.93100, lon: 116.45000, item: item)   // ~110 m away
            let hinted = (second["possibleDuplicates"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(hinted == [first["id"] as! String])
            // Dismissed appeals are no longer hinted.
            _ = try await t.send(.POST, "/api/v1/appeals/\(first["id"] as! String)/dismiss", as: "disp1", json: ["reason": "重复"])
            let third = try await appeal(lat: 39.93050, lon: 116.45000, item: item)
            let again = (third["possibleDuplicates"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(again == [second["id"] as! String])
        }
    }
}
