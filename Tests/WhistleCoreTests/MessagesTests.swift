import Foundation
import Testing
@testable import WhistleCore

struct MessagesTests {
    /// One real instance of every error the Core throws, produced by the Core itself where
    /// possible, so the parameters are the ones the Core really sets.
    static let thrown: [WhistleError] = {
        func caught(_ body: () throws -> Void) -> WhistleError {
            do { try body() } catch let e as WhistleError { return e } catch {}
            fatalError("expected a WhistleError")
        }
        let now = sh(2025, 3, 3, 10)
        return [
            caught { _ = try Validate.required(nil, field: "title", max: 10) },
            caught { _ = try Validate.text("太长了的标题", field: "title", max: 2) },
            caught { try Validate.coordinates(lat: 99, lon: 1) },
            caught { _ = try CSV.parse("\"open") },
            caught { _ = try OrgImport.planUnits([UnitRow(line: 3, code: "X", name: "甲", kind: "nope")], existing: .init(unitKinds: [:], usernames: [])) },
            caught { try Policy.require(SampleOrg().actor(SampleOrg().grid), .administer) },
            caught { _ = try AppealState.closed.after(.reopen) },
            caught { _ = try TaskState.summoned.after(.complete) },
            caught { try WhistleState.open.check(.close) },
            caught { _ = try ExtensionState.granted.decide(grant: false) },
            caught { try Rating.check(whistle: .open, task: .verified, alreadyRated: false) },
            caught { try Rating.check(whistle: .closed, task: .verified, alreadyRated: true) },
            caught { try TaskDeadlines(acknowledgeBy: now - 60, arriveBy: now, completeBy: now).validate(now: now) },
            caught { try TaskDeadlines(acknowledgeBy: now + 60, arriveBy: now, completeBy: now).validate(now: now) },
            WhistleError.unauthenticated,
            WhistleError.invalid("phone", "not a phone number"),
            caught { _ = try ApiKeyRules.admit(nil, purpose: .open311) },
            caught { _ = try ApiKeyRules.validate(name: "app", purpose: "nope") },
            caught { _ = try Open311.urgency("fast") },
            caught { _ = try Open311.query(ids: nil, serviceCodes: nil, status: "pending", start: nil, end: nil, now: now) },
            caught { _ = try Open311.place(point: nil, streetCode: nil, streets: [], areas: []) },
            WhistleError("api_key.missing", .forbidden, field: "api_key"),
            WhistleError("api_key.other_district", .forbidden, field: "api_key"),
            WhistleError("open311.service_not_found", .notFound, params: ["id": "SAFE-09"]),
            WhistleError("open311.request_not_found", .notFound, params: ["id": "A2026-000009"]),
            WhistleError("open311.token_not_found", .notFound, params: ["id": "XYZ"]),
            WhistleError("open311.jurisdiction_not_found", .notFound, params: ["id": "D9"]),
            WhistleError("open311.format", .notFound, params: ["id": "services.csv"]),
            WhistleError("open311.location_required", .invalid, field: "address_string"),
            WhistleError("open311.outside", .invalid, field: "lat"),
        ] + ["unit", "person", "item", "appeal", "whistle", "task", "photo", "extension", "rating", "api_key"].map {
            WhistleError.notFound($0, "ID-\($0)-42")
        }
    }()

    @Test(arguments: thrown)
    func everyThrownErrorHasBothLanguages(error: WhistleError) {
        #expect(error.hasMessage, "\(error.code) has no message")
        let zh = error.message(.zh), en = error.message(.en)
        #expect(zh != en)
        #expect(zh != error.code && en != error.code)
        for text in [zh, en] {
            #expect(!text.contains("{") && !text.contains("}"), "unfilled placeholder in \(text)")
            let worded: Set<String> = error.code.hasSuffix(".illegal_transition") ? ["state", "action"] : []
            for (key, value) in error.params where key != "reason" && key != "reasonZh" && !worded.contains(key) {
                #expect(text.contains(value), "\(text) lacks \(value)")
            }
        }
        // A reason is said in each language: the Chinese one where given, else the English one.
        if let reason = error.params["reason"] {
            #expect(en.contains(reason), "\(en) lacks \(reason)")
            #expect(zh.contains(error.params["reasonZh"] ?? reason), "\(zh) lacks its reason")
        }
        #expect(zh.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }, "\(zh) is not Chinese")
    }

    @Test func importMessageNamesLineFieldAndReason() {
        let error = ImportError.at(line: 17, field: "parent_code", "no unit with code S9")
        #expect(error.message(.en) == "Import failed at line 17, field parent_code: no unit with code S9; nothing was imported")
        #expect(error.message(.zh) == "导入失败：第 17 行字段 parent_code：no unit with code S9；未导入任何数据")
    }

    @Test func fieldFillsItsPlaceholder() {
        #expect(WhistleError.missing("title").message(.en) == "Required field title is missing")
        #expect(WhistleError.missing("title").message(.zh) == "缺少必填字段 title")
        #expect(WhistleError("deadline.in_past", .invalid, field: "arriveBy").message(.en) == "Deadline arriveBy is in the past")
        #expect(WhistleError.missing("title").description == "input.missing [title]: Required field title is missing")
    }

    @Test func unknownCodeFallsBackToItself() {
        let error = WhistleError("no.such_code", .invalid, params: ["x": "y"])
        #expect(!error.hasMessage)
        #expect(error.message(.zh) == "no.such_code")
        #expect(error.message(.en) == "no.such_code")
    }

    /// Every code written in the Core's sources (WhistleError("…"), illegalTransition("…"),
    /// notFound("…"), and the factories) has a message. Catches a new code added without one.
    @Test func everyCodeInTheSourcesHasAMessage() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/WhistleCore").resolvingSymlinksInPath()
        let files = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        #expect(files.count >= 20)
        var codes: Set<String> = []
        let patterns: [(String, (String) -> String)] = [
            (#"WhistleError\("([a-z_]+\.[a-z_]+)""#, { $0 }),
            (#"illegalTransition\("([a-z_]+)""#, { "\($0).illegal_transition" }),
            (#"notFound\("([a-z_]+)""#, { "\($0).not_found" }),
        ]
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (pattern, code) in patterns {
                for match in text.matches(of: try Regex(pattern)) {
                    if let captured = match.output[1].substring { codes.insert(code(String(captured))) }
                }
            }
            if text.contains("ImportError.at(") { codes.insert("import.invalid") }
            if text.contains(".missing(") { codes.insert("input.missing") }
            if text.contains(".invalid(\"") || text.contains("WhistleError.invalid(") { codes.insert("input.invalid") }
            if text.contains(".forbidden(") { codes.insert("auth.forbidden") }
        }
        #expect(codes.isSuperset(of: ["deadline.in_past", "deadline.order", "rating.already_rated", "rating.whistle_not_closed",
                                      "appeal.illegal_transition", "task.illegal_transition", "whistle.illegal_transition",
                                      "extension.illegal_transition", "import.invalid", "input.missing", "auth.forbidden"]))
        for code in codes.sorted() {
            #expect(WhistleError(code, .invalid).hasMessage, "\(code) has no message")
        }
    }

    @Test func everyTableEntryIsTranslated() {
        for (code, entry) in Messages.table {
            #expect(entry.zh != entry.en, "\(code)")
            #expect(!entry.zh.isEmpty && !entry.en.isEmpty, "\(code)")
            let placeholders = { (s: String) in Set(s.matches(of: /\{([a-z]+)\}/).map { String($0.output.1) }) }
            #expect(placeholders(entry.zh) == placeholders(entry.en), "\(code): zh and en use different placeholders")
        }
    }

    @Test func aTransitionIsSaidInWordsNotCodes() {
        let error = WhistleError.illegalTransition("task", from: TaskState.onSite.rawValue, action: TaskAction.arrive.rawValue)
        #expect(error.message(.zh).contains(TaskState.onSite.nameZh) && error.message(.zh).contains("不能执行 到场"))
        #expect(!error.message(.zh).contains("onSite") && !error.message(.zh).contains("arrive"))
        #expect(error.message(.en).contains("on site") && error.message(.en).contains("arrive"))
    }
}
