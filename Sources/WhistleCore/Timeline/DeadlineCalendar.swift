import Foundation

/// A person's deadlines as an iCalendar feed (RFC 5545): each responder deadline not yet met
/// and each coordination meeting, so an officer sees them in the phone's own calendar.
public enum DeadlineCalendar {
    /// What a task's clocks need to know: its state, deadlines and what it has done.
    public struct TaskFacts: Sendable, Equatable {
        public var taskID: UUID
        public var state: TaskState
        public var deadlines: TaskDeadlines
        public var acknowledgedAt: Date?
        public var arrivedAt: Date?
        public var completedAt: Date?
        public var kind: WhistleKind
        public var whistleNumber: String
        public var title: String
        public var address: String
        public init(taskID: UUID, state: TaskState, deadlines: TaskDeadlines, acknowledgedAt: Date?, arrivedAt: Date?,
                    completedAt: Date?, kind: WhistleKind, whistleNumber: String, title: String, address: String) {
            self.taskID = taskID; self.state = state; self.deadlines = deadlines; self.acknowledgedAt = acknowledgedAt
            self.arrivedAt = arrivedAt; self.completedAt = completedAt; self.kind = kind; self.whistleNumber = whistleNumber
            self.title = title; self.address = address
        }
    }

    public struct Entry: Sendable, Equatable {
        public var uid: String
        public var start: Date
        public var minutes: Int
        public var summary: String
        public var description: String
        public var location: String
        /// A page path ("/tasks/…"), made absolute by the feed.
        public var path: String
    }

    /// The deadlines still to meet on a working task (`TaskState.isActive`): 报到 until
    /// acknowledged, 到场 until on site (only when the kind asks for a site visit), 办结 until
    /// completed.
    public static func pending(_ t: TaskFacts) -> [(ClockKind, Date)] {
        guard t.state.isActive else { return [] }
        var out: [(ClockKind, Date)] = []
        if t.acknowledgedAt == nil { out.append((.acknowledge, t.deadlines.acknowledgeBy)) }
        if t.kind.needsSiteVisit && t.arrivedAt == nil { out.append((.arrive, t.deadlines.arriveBy)) }
        if t.completedAt == nil { out.append((.complete, t.deadlines.completeBy)) }
        return out
    }

    public static func entries(tasks: [TaskFacts]) -> [Entry] {
        tasks.flatMap { t in
            pending(t).map { kind, due in
                let verb = switch kind { case .acknowledge: "报到"; case .arrive: "到场"; default: "办结" }
                return Entry(uid: "\(t.taskID.uuidString.lowercased())-\(kind.rawValue)@whistle", start: due, minutes: 15,
                             summary: "\(verb)截止：\(t.title)", description: "\(t.whistleNumber) \(t.title)", location: t.address,
                             path: "/tasks/\(t.taskID.uuidString)")
            }
        }
    }

    public static func meeting(id: UUID, at: Date, place: String, agenda: String?, whistleNumber: String, title: String,
                               whistleID: UUID) -> Entry {
        Entry(uid: "\(id.uuidString.lowercased())-meeting@whistle", start: at, minutes: 60, summary: "协调会：\(title)",
              description: [whistleNumber + " " + title, agenda ?? ""].filter { !$0.isEmpty }.joined(separator: "\n"),
              location: place, path: "/whistles/\(whistleID.uuidString)")
    }

    /// The feed's text: CRLF lines, folded at 75 octets, text values escaped.
    public static func render(_ entries: [Entry], name: String, baseURL: String, now: Date) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Whistle//Deadlines//ZH", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                     "X-WR-CALNAME:" + escape(name), "X-WR-TIMEZONE:Asia/Shanghai"]
        for e in entries.sorted(by: { ($0.start, $0.uid) < ($1.start, $1.uid) }) {
            lines += ["BEGIN:VEVENT", "UID:" + e.uid, "DTSTAMP:" + stamp(now), "DTSTART:" + stamp(e.start),
                      "DTEND:" + stamp(e.start.addingTimeInterval(TimeInterval(e.minutes * 60))),
                      "SUMMARY:" + escape(e.summary), "DESCRIPTION:" + escape(e.description), "LOCATION:" + escape(e.location),
                      "URL:" + baseURL + e.path,
                      "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:" + escape(e.summary), "TRIGGER:-PT15M", "END:VALARM",
                      "END:VEVENT"]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// "20260302T010000Z".
    static func stamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// TEXT values: backslash, semicolon, comma and newlines escaped (RFC 5545 3.3.11).
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": continue
            default: out.append(ch)
            }
        }
        return out
    }

    /// Lines longer than 75 octets continue on the next with one leading space, never
    /// splitting a UTF-8 character.
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var parts: [String] = [], current = "", size = 0
        for scalar in line.unicodeScalars {
            let n = String(scalar).utf8.count
            if size + n > (parts.isEmpty ? 75 : 74) { parts.append(current); current = ""; size = 0 }
            current.unicodeScalars.append(scalar)
            size += n
        }
        parts.append(current)
        return parts.joined(separator: "\r\n ")
    }
}
