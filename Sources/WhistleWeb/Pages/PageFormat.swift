import Foundation
import Plot
import WhistleCore

/// How pages show times, durations and the domain's named values, in the page's language.
extension PageContext {
    /// "2026-11-23 16:05", China Standard Time.
    func time(_ date: Date?) -> String {
        guard let date else { return "—" }
        return PageFormat.stamp(date)
    }

    /// "1h 05m", or its Chinese form on Chinese pages, for a number of seconds (absolute).
    func duration(_ seconds: Double) -> String {
        let total = Int(abs(seconds).rounded())
        let d = total / 86400, h = (total % 86400) / 3600, m = (total % 3600) / 60, s = total % 60
        if lang == .zh {
            if d > 0 { return "\(d)天\(h)小时" }
            if h > 0 { return "\(h)小时\(String(format: "%02d", m))分" }
            return "\(m)分\(String(format: "%02d", s))秒"
        }
        if d > 0 { return "\(d)d \(h)h" }
        if h > 0 { return "\(h)h \(String(format: "%02d", m))m" }
        return "\(m)m \(String(format: "%02d", s))s"
    }

    /// A live countdown to `due`: the text as of now, and `data-due` for the script to tick.
    func countdown(_ due: Date?, done: Date? = nil) -> Component {
        guard let due else { return T("—") }
        if let done {
            let late = done.timeIntervalSince(due)
            return tag("span", [.cls(late > 0 ? "clock late" : "clock ok")],
                       text: late > 0 ? t("超时", "late ") + duration(late) : t("按时", "on time"))
        }
        let left = due.timeIntervalSince(now)
        return tag("span", [.cls(left < 0 ? "clock countdown late" : "clock countdown"), .data("due", PageFormat.iso(due)),
                            .data("zh", lang == .zh ? "1" : "0")],
                   text: left < 0 ? t("超时 ", "overdue ") + duration(left) : t("剩 ", "left ") + duration(left))
    }

    func name(_ v: AppealState) -> String { lang == .zh ? v.nameZh : PageFormat.words(v.rawValue) }
    func name(_ v: TaskState) -> String { lang == .zh ? v.nameZh : PageFormat.words(v.rawValue) }
    func name(_ v: WhistleState) -> String { lang == .zh ? v.nameZh : PageFormat.words(v.rawValue) }
    func name(_ v: WhistleLevel) -> String { lang == .zh ? v.nameZh : PageFormat.words(v.rawValue) }
    func name(_ v: WhistleKind) -> String { lang == .zh ? v.nameZh : PageFormat.words(v.rawValue) }
    func name(_ v: WhistleReason) -> String { lang == .zh ? v.nameZh : PageFormat.words(v.rawValue) }
    func name(_ v: Urgency) -> String { lang == .zh ? v.nameZh : PageFormat.words(v.rawValue) }
    func name(_ v: Grade) -> String { lang == .zh ? v.nameZh : PageFormat.words(v.rawValue) }
    func name(_ v: Satisfaction) -> String { lang == .zh ? v.nameZh : PageFormat.words(v.rawValue) }
    func name(_ v: Role) -> String { lang == .zh ? v.nameZh : PageFormat.words(v.rawValue) }
    func name(_ v: UnitKind) -> String { lang == .zh ? v.nameZh : PageFormat.words(v.rawValue) }
    func name(_ v: ClockKind) -> String { lang == .zh ? v.nameZh : PageFormat.words(v.rawValue) }
    func name(_ v: Channel) -> String { lang == .zh ? v.nameZh : PageFormat.words(v.rawValue) }
    func name(_ v: HandoverKind) -> String { lang == .zh ? v.nameZh : (v == .handover ? "Handover" : "Criminal referral") }
    func name(_ v: CasePostKind) -> String { lang == .zh ? v.nameZh : PageFormat.words(v.rawValue) }
    func name(_ v: ResponderRole) -> String {
        lang == .zh ? v.nameZh : (v == .lead ? "Lead" : v == .filing ? "Case filing" : "Joining")
    }
    func name(event kind: String) -> String {
        guard let k = EventKind(rawValue: kind) else { return kind }
        return lang == .zh ? k.nameZh : PageFormat.words(kind)
    }

    /// Options for a `<select>` over an enum, by the page's names.
    func options<E: CaseIterable & RawRepresentable>(_ type: E.Type, _ name: (E) -> String) -> [(String, String)] where E.RawValue == String {
        E.allCases.map { ($0.rawValue, name($0)) }
    }
}

enum PageFormat {
    private static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    static func stamp(_ date: Date) -> String {
        let c = utc.dateComponents([.year, .month, .day, .hour, .minute], from: date.addingTimeInterval(8 * 3600))
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }

    /// "basicallySatisfied" → "basically satisfied".
    /// A code word as English words: "jointAction" → "Joint action", "hotline12345" → "Hotline 12345".
    static func words(_ raw: String) -> String {
        var out = ""
        var previous: Character?
        for ch in raw {
            if ch.isUppercase { out += " " + ch.lowercased() }
            else if ch == "_" { out += " " }
            else if ch.isNumber, let p = previous, p.isLetter { out += " " + String(ch) }
            else { out.append(ch) }
            previous = ch
        }
        return out.prefix(1).uppercased() + out.dropFirst()
    }
}
