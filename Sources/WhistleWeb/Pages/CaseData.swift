import Foundation
import Plot
import Vapor
import WhistleCore
import WhistleStore

/// Pieces shared by the case pages: facts lists, photos, the timeline, and loaders.
enum CaseData {
    static func unitNames(_ services: Services) async throws -> [UUID: String] {
        Dictionary(uniqueKeysWithValues: try await services.allUnits().map { ($0.id, $0.name) })
    }

    /// The actor's unit and every unit under it.
    static func subtree(of unit: OrgUnit, services: Services) async throws -> [OrgUnit] {
        try await services.allUnits().filter { $0.path.hasPrefix(unit.path) }.sorted { $0.path < $1.path }
    }

    static func facts(_ rows: [(String, String)]) -> Component {
        tag("dl", [.cls("facts")]) {
            for (term, value) in rows {
                tag("dt", text: term)
                tag("dd", text: value)
            }
        }
    }

    static func photos(_ joined: String) -> Component {
        let hashes = joined.split(separator: ",").map(String.init).filter { $0.count == 64 && $0.allSatisfy(\.isHexDigit) }
        return tag("div", [.cls("photos")]) {
            for hash in hashes {
                tag("a", [.href("/api/v1/photos/\(hash)")]) {
                    void("img", [.a("src", "/api/v1/photos/\(hash)"), .a("alt", "photo"), .a("width", "120"), .a("loading", "lazy")])
                }
            }
        }
    }

    /// A case's evidence: each photo as a thumbnail opening full size, labelled with the step
    /// that brought it, who (the unit whose task it is, or the appellant) and when.
    static func evidence(_ c: PageContext, _ photos: [CasePhoto], taskUnits: [UUID: String]) -> Component {
        tag("section", [.cls("card"), .id("evidence")]) {
            tag("h2", text: c.t("现场照片与佐证", "Photos and evidence"))
            if photos.isEmpty { tag("p", [.cls("muted")], text: c.t("暂无照片。", "No photos yet.")) }
            tag("div", [.cls("photos")]) {
                for photo in photos {
                    let url = "/api/v1/photos/\(photo.photoID)"
                    let who = photo.taskID.flatMap { taskUnits[$0] } ?? (photo.step == .appealReceived ? c.t("诉求人", "appellant") : "")
                    let label = [c.name(event: photo.step.rawValue), who, c.time(photo.addedAt)].filter { !$0.isEmpty }.joined(separator: " · ")
                    tag("figure", [.data("step", photo.step.rawValue)]) {
                        tag("a", [.href(url), .a("target", "_blank")]) {
                            void("img", [.a("src", url), .a("alt", label), .a("width", "120"), .a("loading", "lazy")])
                        }
                        tag("figcaption", [.cls("muted")], text: label)
                    }
                }
            }
        }
    }

    static func timeline(_ c: PageContext, _ events: [TimelineEvent]) -> Component {
        tag("section", [.cls("card")]) {
            tag("h2", text: c.t("时间线", "Timeline"))
            tag("ol", [.cls("timeline"), .id("timeline")]) {
                for event in events.reversed() {
                    tag("li", [.data("kind", event.kind)]) {
                        tag("span", [.cls("muted")], text: c.time(event.at) + " ")
                        tag("strong", text: c.name(event: event.kind))
                        T(" · " + actorName(c, event.actorName))
                        if let text = detailText(c, event) { tag("div", [.cls("muted")], text: text) }
                    }
                }
            }
        }
    }

    /// The timeline's actor: a person's name as stored, or the two actors without one in words.
    static func actorName(_ c: PageContext, _ stored: String) -> String {
        switch stored {
        case "citizen": c.t("市民", "citizen")
        case "system": c.t("系统", "system")
        default: stored
        }
    }

    /// The human parts of an event's detail (unit, reason, result, text), with stored code
    /// words (a whistle's reason, a grade, a satisfaction, a role) in the page's language.
    static func detailText(_ c: PageContext, _ event: TimelineEvent) -> String? {
        guard let data = event.detail.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        func words(_ key: String, _ value: String) -> String {
            switch key {
            case "reason": WhistleReason(rawValue: value).map { c.name($0) } ?? value
            case "grade": Grade(rawValue: value).map { c.name($0) } ?? value
            case "satisfaction": Satisfaction(rawValue: value).map { c.name($0) } ?? value
            case "role": ResponderRole(rawValue: value).map { c.name($0) } ?? value
            default: value
            }
        }
        var keys = ["unit", "responders", "role", "duty", "reason", "result", "text", "note", "comment", "grade", "satisfaction",
                    "caseNumber", "filedOn"]
        var parts: [String] = []
        switch EventKind(rawValue: event.kind) {
        case .casePosted?:
            // "指令 → 区市场监管局 · 立即扣押"
            let kind = (object["kind"] as? String).flatMap(CasePostKind.init(rawValue:)).map { c.name($0) } ?? ""
            parts.append(kind + ((object["to"] as? String).map { " → " + $0 } ?? ""))
        case .taskHandedOver?:
            let kind = (object["kind"] as? String).flatMap(HandoverKind.init(rawValue:)).map { c.name($0) } ?? ""
            parts.append(kind + ((object["to"] as? String).map { " → " + $0 } ?? ""))
            for (key, zh, en) in [("threshold", "达标事实：", "Threshold: "), ("goods", "物品：", "Goods: "), ("persons", "人员：", "Persons: "),
                                  ("files", "材料：", "Files: ")] {
                if let value = object[key] as? String { parts.append(c.t(zh, en) + value) }
            }
        case .taskHandoverAccepted?, .taskHandoverRefused?:
            if let from = object["from"] as? String { parts.append(c.t("来自 ", "from ") + from) }
        case .taskChanged?:
            for (key, zh, en) in [("acknowledgeBy", "报到时限改为 ", "acknowledge by "), ("arriveBy", "到场时限改为 ", "arrive by "),
                                  ("completeBy", "办结时限改为 ", "complete by ")] {
                if let date = (object[key] as? String).flatMap(iso8601Date) { parts.append(c.t(zh, en) + c.time(date)) }
            }
            if let lead = object["newLead"] as? String { parts.append(c.t("改由 \(lead) 牵头", "\(lead) now leads")) }
        default: break
        }
        if event.kind != EventKind.casePosted.rawValue { keys.removeAll { $0 == "kind" } }
        parts += keys.compactMap { key in (object[key] as? String).flatMap { $0.isEmpty ? nil : words(key, $0) } }
        if let figures = (object as? [String: String]).flatMap(CaseFigures.init(detail:)) { parts.append(figuresText(c, figures)) }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }

    /// The photos an event carries (progress, completion), comma-joined as stored.
    static func detailPhotos(_ event: TimelineEvent) -> String? {
        guard let data = event.detail.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let photos = object["photos"] as? String, !photos.isEmpty else { return nil }
        return photos
    }

    static func lat(_ req: Request) throws -> Double? { try req.field("lat") { Double($0) } }

    /// Figures reported with a step (people, vehicles, items seized, value), blank fields left out.
    static func figures(_ req: Request) throws -> CaseFigures? {
        let f = CaseFigures(officers: try req.field("officers") { Int($0) }, vehicles: try req.field("vehicles") { Int($0) },
                            itemsSeized: try req.field("itemsSeized") { Int($0) }, valueYuan: try req.field("valueYuan") { Double($0) })
        return f.isEmpty ? nil : f
    }

    /// The optional figure fields of a progress report, folded away.
    static func figureFields(_ c: PageContext) -> Component {
        tag("details") {
            tag("summary", text: c.t("现场数据（可选）", "Figures on site (optional)"))
            tag("div", [.cls("grid2")]) {
                for (name, zh, en) in [("officers", "出动人员", "Officers"), ("vehicles", "出动车辆", "Vehicles"),
                                       ("itemsSeized", "查扣物品（件）", "Items seized"), ("valueYuan", "涉案金额（元）", "Value (yuan)")] {
                    Bits.field(c.t(zh, en)) { input(.type("number"), .name(name), .a("min", "0"), .a("step", name == "valueYuan" ? "0.01" : "1")) }
                }
            }
        }
    }

    /// A case's summed figures as the facts list shows them ("—" when none were reported).
    static func figuresText(_ c: PageContext, _ f: CaseFigures?) -> String {
        guard let f else { return "—" }
        var parts: [String] = []
        if let o = f.officers { parts.append(c.t("人员 \(o) 人", "\(o) officers")) }
        if let v = f.vehicles { parts.append(c.t("车辆 \(v) 台", "\(v) vehicles")) }
        if let i = f.itemsSeized { parts.append(c.t("查扣 \(i) 件", "\(i) items seized")) }
        if let v = f.valueYuan { parts.append(c.t("涉案金额 \(String(format: "%.2f", v)) 元", "value ¥\(String(format: "%.2f", v))")) }
        return parts.joined(separator: c.t("，", ", "))
    }
    static func lon(_ req: Request) throws -> Double? { try req.field("lon") { Double($0) } }

    /// "2026-11-23T16:05" from a datetime-local field, China Standard Time.
    static func localTime(_ raw: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"] {
            f.dateFormat = format
            if let d = f.date(from: raw) { return d }
        }
        return nil
    }
}

extension Optional {
    /// `map` with an async transform (for loading what an optional id names).
    func pageMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
