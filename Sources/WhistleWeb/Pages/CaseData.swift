import Fluent
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

    static func timeline(_ c: PageContext, _ events: [EventModel]) -> Component {
        tag("section", [.cls("card")]) {
            tag("h2", text: c.t("时间线", "Timeline"))
            tag("ol", [.cls("timeline"), .id("timeline")]) {
                for event in events.reversed() {
                    tag("li", [.data("kind", event.kind)]) {
                        tag("span", [.cls("muted")], text: c.time(event.at) + " ")
                        tag("strong", text: c.name(event: event.kind))
                        T(" · " + event.actorName)
                        if let text = detailText(event) { tag("div", [.cls("muted")], text: text) }
                    }
                }
            }
        }
    }

    /// The human parts of an event's detail (unit, reason, result, text).
    static func detailText(_ event: EventModel) -> String? {
        guard let data = event.detail.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        let keys = ["unit", "responders", "reason", "result", "text", "note", "comment", "grade", "satisfaction"]
        let parts = keys.compactMap { key in (object[key] as? String).flatMap { $0.isEmpty ? nil : $0 } }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }

    /// The photos an event carries (progress, completion), comma-joined as stored.
    static func detailPhotos(_ event: EventModel) -> String? {
        guard let data = event.detail.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let photos = object["photos"] as? String, !photos.isEmpty else { return nil }
        return photos
    }

    static func lat(_ req: Request) throws -> Double? { try req.field("lat") { Double($0) } }
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
