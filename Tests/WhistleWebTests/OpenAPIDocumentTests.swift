import Foundation
import Testing
import Vapor
import VaporTesting
import WhistleCore
@testable import WhistleWeb

/// The OpenAPI document (docs/openapi.json, served at /api/v1/openapi.json) stays true: it
/// names every route the app registers under /api/v1 (and /healthz) and no other, its
/// enumerations are WhistleCore's, and the served bytes are the committed file's.
@Suite struct OpenAPIDocumentTests {
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func document() throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8))
        return try #require(value as? [String: Any])
    }

    /// "GET /api/v1/appeals/{id}" for each operation of the document.
    static func documentedOperations() throws -> Set<String> {
        let paths = try #require(try document()["paths"] as? [String: [String: Any]])
        var operations = Set<String>()
        for (path, item) in paths {
            for method in item.keys where ["get", "put", "post", "delete", "patch"].contains(method) {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    @Test func everyAPIRouteIsDocumentedAndNothingElse() async throws {
        try await TestApp.run { t in
            var registered = Set<String>()
            for route in t.app.routes.all {
                let parts = route.path.map { part -> String in
                    switch part {
                    case .constant(let text): text
                    case .parameter(let name): "{\(name)}"
                    case .anything: "*"
                    case .catchall: "**"
                    }
                }
                let path = "/" + parts.joined(separator: "/")
                guard path.hasPrefix("/api/v1/") || path == "/healthz" else { continue }
                registered.insert("\(route.method.rawValue) \(path)")
            }
            let documented = try Self.documentedOperations()
            #expect(registered.count > 100, "the app registers the whole API")
            #expect(registered.subtracting(documented).sorted() == [],
                    "routes missing from scripts/openapi (then run scripts/generate-client)")
            #expect(documented.subtracting(registered).sorted() == [], "documented routes the app does not have")
        }
    }

    /// The enumerations a client decodes are exactly WhistleCore's cases, in order.
    @Test func enumerationsAreWhistleCores() throws {
        let schemas = try #require((try Self.document()["components"] as? [String: Any])?["schemas"] as? [String: Any])
        func cases<T: CaseIterable & RawRepresentable>(_ type: T.Type) -> [String] where T.RawValue == String {
            T.allCases.map(\.rawValue)
        }
        let expected: [String: [String]] = [
            "Channel": cases(WhistleCore.Channel.self), "Urgency": cases(Urgency.self), "AppealState": cases(AppealState.self),
            "WhistleLevel": cases(WhistleLevel.self), "WhistleKind": cases(WhistleKind.self),
            "WhistleReason": cases(WhistleReason.self), "WhistleState": cases(WhistleState.self),
            "TaskState": cases(TaskState.self), "ResponderRole": cases(ResponderRole.self), "Grade": cases(Grade.self),
            "Satisfaction": cases(Satisfaction.self), "Role": cases(Role.self), "UnitKind": cases(UnitKind.self),
            "ClockKind": cases(ClockKind.self), "ClockState": cases(ClockState.self),
            "ExtensionState": cases(ExtensionState.self), "HandoverKind": cases(HandoverKind.self),
            "HandoverState": cases(HandoverState.self), "HoldState": cases(HoldState.self),
            "BodyDecisionKind": cases(BodyDecisionKind.self), "CasePostKind": cases(CasePostKind.self),
            "HeadChangeKind": cases(HeadChangeKind.self), "HeadGrade": cases(HeadGrade.self),
            "TaskAction": cases(TaskAction.self),
        ]
        for (name, values) in expected {
            let schema = try #require(schemas[name] as? [String: Any], "\(name) is in the document")
            #expect(schema["enum"] as? [String] == values, "\(name) in scripts/openapi/schemas.py")
        }
    }

    /// The embedded copy is the committed file (scripts/check-client keeps both fresh).
    @Test func servedDocumentIsTheCommittedFile() throws {
        let file = try String(contentsOf: Self.repository.appendingPathComponent("docs/openapi.json"), encoding: .utf8)
        #expect(file == OpenAPIDocument.json + "\n")
        let document = try Self.document()
        #expect(document["openapi"] as? String == "3.1.0")
    }

    @Test func documentIsPublicAndCached() async throws {
        try await TestApp.run { t in
            let response = try await t.send(.GET, "/api/v1/openapi.json")
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.subType == "json")
            #expect(response.headers.first(name: .cacheControl) == "public, max-age=3600")
            let etag = try #require(response.headers.first(name: .eTag))
            let served = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
            #expect((served?["info"] as? [String: Any])?["title"] as? String == "Whistle API")
            let again = try await t.send(.GET, "/api/v1/openapi.json", headers: ["If-None-Match": etag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
        }
    }
}
