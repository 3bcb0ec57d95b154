import Foundation
import Testing
import Vapor
import VaporTesting
import WhistleCore
import WhistleStore
@testable import WhistleWeb

/// Photos are evidence of a step (`case_photos`): the appeal's answer lists every photo on
/// the case — the appellant's and the responders' — with its step, who and when; a task's
/// answer lists its own.
@Suite struct EvidenceTests {
    func upload(_ t: inout TestApp, as user: String, _ seed: UInt8) async throws -> String {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: try await t.token(user))
        headers.contentType = HTTPMediaType(type: "image", subType: "png")
        let png = Data([0x89, 0x50, 0x4E, 0x47]) + Data(repeating: seed, count: 100)
        let response = try await t.app.testing().sendRequest(.POST, "/api/v1/photos", headers: headers, body: ByteBuffer(data: png))
        #expect(response.status == .created)
        return try #require(response.json["id"] as? String)
    }

    @Test func everyPhotoOnTheCaseIsListedWithItsStep() async throws {
        try await TestApp.run { t in
            let before = try await upload(&t, as: "disp1", 1)
            let appeal = try await t.send(.POST, "/api/v1/appeals", as: "disp1", json: [
                "channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678", "address": "幸福路1号",
                "description": "井盖破损", "photos": [before]])
            #expect(appeal.status == .created, "\(appeal.body.string)")
            let appealID = try #require(appeal.json["id"] as? String)
            let blown = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: [
                "appealId": appealID, "kind": "rally", "reason": "jointEnforcement",
                "responders": [["unitId": try await t.unitID("AG-UM-S1")]]])
            #expect(blown.status == .created, "\(blown.body.string)")
            let task = try #require((blown.json["tasks"] as? [[String: Any]])?.first?["id"] as? String)
            _ = try await t.send(.POST, "/api/v1/tasks/\(task)/acknowledge", as: "um")
            _ = try await t.send(.POST, "/api/v1/tasks/\(task)/arrive", as: "um")
            let after = try await upload(&t, as: "um", 2)
            let done = try await t.send(.POST, "/api/v1/tasks/\(task)/complete", as: "um", json: ["result": "已更换井盖", "photos": [after]])
            #expect(done.status == .ok, "\(done.body.string)")
            let taskEvidence = done.json["evidence"] as? [[String: Any]] ?? []
            #expect(taskEvidence.map { $0["photo"] as? String } == [after])
            #expect(taskEvidence.first?["step"] as? String == "task.completed")

            let detail = try await t.send(.GET, "/api/v1/appeals/\(appealID)", as: "disp1").json
            let evidence = detail["evidence"] as? [[String: Any]] ?? []
            #expect(evidence.map { $0["photo"] as? String } == [before, after])
            #expect(evidence.map { $0["step"] as? String } == ["appeal.received", "task.completed"])
            #expect(evidence.last?["taskId"] as? String == task)
            #expect(evidence.allSatisfy { ($0["url"] as? String)?.hasPrefix("/api/v1/photos/") == true && $0["addedAt"] != nil })
        }
    }
}
