import Foundation
import WhistleCore
import WhistleStore

/// The blower's side after the responders: verification, rework, closure, the ratings,
/// the supervisor's amendments and the appellant's callback.
extension DemoHistory {
    static func comments(for grade: Grade) -> [String] {
        switch grade {
        case .good: ["响应迅速，到场及时，处置彻底", "主动担当，配合默契，群众认可", "第一时间报到，攻坚克难"]
        case .fairlyGood: ["按时报到，处置效果较好", "能够按要求完成任务", "配合较积极，个别环节可再提速"]
        case .average: ["报到不够及时，处置效果一般", "需加强与街道的沟通协作", "办结质量一般，需跟踪回头看"]
        case .poor: ["推诿扯皮，多次催办才到场", "超期办结，群众不满意", "处置不彻底，返工后仍有遗留问题"]
        }
    }

    /// Once every live task is completed (whistle awaiting verification), the blower gets to
    /// verification.
    func checkCompletion(_ w: DemoWhistleCase) {
        let live = w.tasks.filter { !$0.dead }
        guard w.autoClose, !w.closing, !live.isEmpty, live.allSatisfy(\.done) else { return }
        w.closing = true
        let delay = w.kind == .emergency ? dice.hours(0.5, 6) : dice.hours(2, 40)
        sched.at(time.staff(now.addingTimeInterval(delay), dice: dice), "verify", lane: w.lane) { h in try await h.verifyOrClose(w) }
    }

    func verifyOrClose(_ w: DemoWhistleCase) async throws {
        let tasks = try await s.tasks(of: w.id!)
        let completed = w.tasks.filter { t in !t.dead && tasks.contains { $0.id == t.id && $0.state == .completed } }
        if w.reworkPlanned && !w.reworked, let t = completed.first.map({ _ in dice.pick(completed) }) {
            w.reworked = true
            w.closing = false
            t.done = false
            _ = try await s.rework(t.id, reason: dice.pick(["现场复核发现问题未彻底解决，请返工", "整改不到位，群众仍有反映，请返工处理"]),
                                   by: w.blower)
            sched.at(time.staff(now.addingTimeInterval(dice.hours(12, 72)), dice: dice), "complete rework", lane: w.lane) { h in
                try await h.completeTask(t)
            }
            return
        }
        if let lead = completed.first(where: { t in tasks.contains { $0.id == t.id && $0.role == .lead } }),
           dice.chance(0.3) {
            _ = try await s.verify(lead.id, note: "牵头单位处置到位", by: w.blower)
        }
        _ = try await s.close(w.id!, note: dice.pick(["经现场核查，问题已解决", "核查通过，准予结案", "经回访核实，处置到位"]), by: w.blower)
        sched.at(time.staff(now.addingTimeInterval(dice.hours(0.5, 30)), dice: dice), "rate", lane: w.lane) { h in try await h.rateAll(w) }
        if let appeal = w.appeal, appeal.auto {
            scheduleCallback(appeal)
        }
    }

    /// One whistle, one rating: the grade follows how the responder did, with the year's spread near
    /// 25% good, 35% fairly good, 30% average, 10% poor.
    func rateAll(_ w: DemoWhistleCase) async throws {
        var first = true
        for task in try await s.tasks(of: w.id!) where task.state == .verified {
            let overruled = w.tasks.first { $0.id == task.id }?.overruled ?? false
            var misses = 0
            if let at = task.acknowledgedAt, at > task.deadlines.acknowledgeBy { misses += 1 }
            if let at = task.arrivedAt, at > task.deadlines.arriveBy { misses += 1 }
            if let at = task.completedAt, at > task.deadlines.completeBy { misses += 2 }
            misses += task.reworkCount * 2 + (overruled ? 1 : 0)
            let weights: [(Grade, Double)] = switch misses {
            case 0: [(.good, 36), (.fairlyGood, 40), (.average, 21), (.poor, 3)]
            case 1, 2: [(.good, 12), (.fairlyGood, 32), (.average, 40), (.poor, 16)]
            default: [(.good, 2), (.fairlyGood, 12), (.average, 44), (.poor, 42)]
            }
            let grade = dice.weighted(weights)
            let rating = try await s.rate(task.id, grade: grade, comment: dice.pick(Self.comments(for: grade)), by: w.blower)
            if (w.amendPlanned && first) || dice.chance(0.03) {
                let id = rating.id
                sched.at(time.staff(now.addingTimeInterval(dice.days(1, 12)), dice: dice), "amend rating", lane: w.lane) { h in
                    try await h.amend(id, from: grade)
                }
            }
            first = false
        }
    }

    func amend(_ ratingID: RatingID, from grade: Grade) async throws {
        let (to, reason): (Grade, String) = switch grade {
        case .good: (.fairlyGood, "经督查核实，该单位存在超时报到情况，评价下调")
        case .fairlyGood: (.good, "经督查核实，该单位实际到场及时，处置效果好，评价上调")
        case .average: (.fairlyGood, "结合群众回访情况，评价上调")
        case .poor: (.average, "该单位超期系因产权单位原因，经督查核实调整评价")
        }
        _ = try await s.amendRating(ratingID, grade: to, reason: reason, by: world.supervisor)
    }

    // MARK: Whistles on appeals

    @discardableResult
    func blowOnAppeal(_ c: DemoAppealCase, kind: WhistleKind? = nil, autoClose: Bool = true,
                      plans: [(DemoTaskCase, TaskRecord) -> DemoTaskPlan]? = nil) async throws -> DemoWhistleCase {
        let kind: WhistleKind = kind ?? (c.urgency == .emergency ? .emergency
            : dice.weighted([(.rally, 0.45), (.jointAction, 0.3), (.supervision, 0.25)]))
        let w = DemoWhistleCase(blower: c.street.dispatcher, level: .street, kind: kind, urgency: c.urgency, item: c.item,
                                appeal: c, street: c.street, lat: c.lat, lon: c.lon)
        w.reworkPlanned = dice.chance(0.08)
        w.autoClose = autoClose
        return try await blow(w, responders: try await streetResponders(w, minimum: kind == .jointAction ? 2 : 1),
                              reason: reason(for: kind), title: "\(c.address.replacingOccurrences(of: DemoOrg.districtName, with: ""))\(c.item.name)",
                              plans: plans)
    }

    func reason(for kind: WhistleKind) -> WhistleReason {
        switch kind {
        case .emergency: .emergency
        case .jointAction: .jointEnforcement
        case .supervision: .noAuthority
        case .rally: dice.chance(0.6) ? .noAuthority : .noResources
        }
    }

    /// The catalogue's proposal plus, now and then, a unit the dispatcher adds by hand.
    func streetResponders(_ w: DemoWhistleCase, minimum: Int) async throws -> [(OrgUnit, ResponderRole)] {
        var picked: [(OrgUnit, ResponderRole)] = []
        if let item = w.item {
            for p in try await s.proposeResponders(itemID: world.item(item.code).id, level: w.level, by: w.blower) {
                picked.append((world.byID[p.unitID]!, p.role))
            }
        }
        let pool = ["police", "urban-management", "market-regulation", "emergency", "housing", "municipal"]
        var extra = dice.chance(0.2) ? 1 : 0
        extra = max(extra, minimum - picked.count)
        for function in pool.shuffledDemo(dice) where extra > 0 {
            guard let unit = world.streetResponder(function: function, street: w.street),
                  !picked.contains(where: { $0.0.id == unit.id }) else { continue }
            picked.append((unit, picked.isEmpty ? .lead : .support))
            extra -= 1
        }
        return Array(picked.prefix(4))
    }
}

extension Array {
    /// A deterministic shuffle with the demo's dice.
    func shuffledDemo(_ dice: DemoDice) -> [Element] {
        var copy = self
        for i in stride(from: copy.count - 1, to: 0, by: -1) { copy.swapAt(i, dice.int(0...i)) }
        return copy
    }
}
