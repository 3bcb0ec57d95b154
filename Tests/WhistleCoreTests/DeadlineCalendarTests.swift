import Foundation
import Testing
@testable import WhistleCore

/// `DeadlineCalendar`: which deadlines remain, and the RFC 5545 text (escaping, folding).
@Suite struct DeadlineCalendarTests {
    let t0 = Date(timeIntervalSince1970: 1_772_413_200)   // 2026-03-02T01:00:00Z

    func facts(_ state: TaskState, kind: WhistleKind = .rally, acknowledged: Bool = false, arrived: Bool = false) -> DeadlineCalendar.TaskFacts {
        DeadlineCalendar.TaskFacts(taskID: UUID(), state: state,
                                   deadlines: TaskDeadlines(acknowledgeBy: t0, arriveBy: t0 + 3600, completeBy: t0 + 86_400),
                                   acknowledgedAt: acknowledged ? t0 : nil, arrivedAt: arrived ? t0 : nil, completedAt: nil, kind: kind,
                                   whistleNumber: "W2026-000001", title: "占道经营, 夜市; 噪音", address: "幸福路1号")
    }

    @Test func onlyTheDeadlinesStillToMeetOfAWorkingTask() {
        #expect(DeadlineCalendar.pending(facts(.summoned)).map(\.0) == [.acknowledge, .arrive, .complete])
        #expect(DeadlineCalendar.pending(facts(.acknowledged, acknowledged: true)).map(\.0) == [.arrive, .complete])
        #expect(DeadlineCalendar.pending(facts(.summoned, kind: .supervision)).map(\.0) == [.acknowledge, .complete], "no site visit")
        #expect(DeadlineCalendar.pending(facts(.completed, acknowledged: true, arrived: true)).isEmpty)
        #expect(DeadlineCalendar.pending(facts(.cancelled)).isEmpty)
    }

    @Test func theFeedIsValidICalendarText() {
        let text = DeadlineCalendar.render(DeadlineCalendar.entries(tasks: [facts(.summoned)]), name: "吹哨报到 · 李强",
                                           baseURL: "http://x", now: t0)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.first == "BEGIN:VCALENDAR" && lines.dropLast().last == "END:VCALENDAR" && text.hasSuffix("\r\n"))
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 3)
        #expect(text.contains("DTSTART:20260302T010000Z"))
        #expect(text.contains(#"SUMMARY:报到截止：占道经营\, 夜市\; 噪音"#))
        #expect(lines.allSatisfy { $0.utf8.count <= 75 }, "every line folded at 75 octets")
        // Unfolding gives back the escaped value, whole.
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains(#"DESCRIPTION:W2026-000001 占道经营\, 夜市\; 噪音"#))
        #expect(DeadlineCalendar.escape("a\\b\nc") == #"a\\b\nc"#)
    }
}
