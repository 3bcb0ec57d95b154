import Foundation
import WhistleCore
import WhistleStore

/// When each step of a responder's task happens (nil: it does not happen before "now").
struct DemoTaskPlan {
    var cancelAt: Date?
    var objectAt: Date?
    var decideAt: Date?
    /// The unit to reassign to when the objection is upheld; nil overrules it.
    var reassignTo: OrgUnit?
    var ackAt: Date?
    var arriveAt: Date?
    var progressAt: Date?
    var extensionAt: Date?
    var extensionUntil: Date?
    var extensionDecideAt: Date?
    var extensionGrant = true
    var completeAt: Date?
}

final class DemoWhistleCase {
    let blower: Actor
    let level: WhistleLevel
    let kind: WhistleKind
    let urgency: Urgency
    let item: DemoItemDef?
    let appeal: DemoAppealCase?
    let street: DemoStreet
    /// The place (its appeal's, or moved into its grid when blown: `DemoGeography.inGrid`).
    var lat: Double
    var lon: Double
    /// The lane that runs its responders' and the blower's steps (its appeal's lane).
    var lane = 0
    var id: WhistleID?
    var tasks: [DemoTaskCase] = []
    /// Whether the blower verifies and closes once everyone has completed.
    var autoClose = true
    var reworkPlanned = false
    var reworked = false
    var amendPlanned = false
    var closing = false

    init(blower: Actor, level: WhistleLevel, kind: WhistleKind, urgency: Urgency, item: DemoItemDef?,
         appeal: DemoAppealCase?, street: DemoStreet, lat: Double, lon: Double) {
        self.blower = blower; self.level = level; self.kind = kind; self.urgency = urgency; self.item = item
        self.appeal = appeal; self.street = street; self.lat = lat; self.lon = lon
    }

    /// Working-time clocks apply (not an emergency and not urgent).
    var working: Bool { kind != .emergency && urgency == .normal }
}

final class DemoTaskCase {
    let whistle: DemoWhistleCase
    let id: TaskID
    let unit: OrgUnit
    let actor: Actor
    var plan = DemoTaskPlan()
    /// Reassigned or cancelled: its remaining steps are dropped.
    var dead = false
    /// Completed (and not sent back for rework).
    var done = false
    var overruled = false
    var extensionID: ExtensionID?
    /// The plan for the replacement when this task is reassigned (default: generated).
    var replacementPlan: ((DemoTaskCase, TaskRecord) -> DemoTaskPlan)?

    init(whistle: DemoWhistleCase, id: TaskID, unit: OrgUnit, actor: Actor) {
        self.whistle = whistle; self.id = id; self.unit = unit; self.actor = actor
    }
}

extension DemoHistory {
    static let leadTitles = ["街道办事处主任", "街道工委副书记", "街道办事处副主任", "街道综合执法办主任"]
    static let progressNotes = ["已到达现场，正在核实情况", "已联系产权单位，正在组织处置", "现场已设置警示区域，专业队伍正在作业",
                                "已约谈当事人，督促限期整改", "正在协调相关单位联合处置"]
    static let extensionReasons = ["需协调产权单位，审批手续需要时间", "涉及多户居民，需要逐户做工作", "需等待专业检测报告", "施工材料采购周期较长"]

    /// Blows a whistle and schedules every responder's steps. `plans` gives the showcase's
    /// fixed timing; otherwise plans are drawn at random.
    @discardableResult
    func blow(_ w: DemoWhistleCase, responders: [(OrgUnit, ResponderRole)], reason: WhistleReason, title: String? = nil,
              description: String? = nil, address: String? = nil, gridID: UUID? = nil, leadOfficial: String? = nil,
              plans: [(DemoTaskCase, TaskRecord) -> DemoTaskPlan]? = nil) async throws -> DemoWhistleCase {
        if w.appeal == nil, let gridID, let spot = DemoGeography.grid(gridID, in: world.streets) {
            (w.lat, w.lon) = DemoGeography.inGrid(spot.community, spot.index, lat: w.lat, lon: w.lon)
        }
        let input = NewWhistle(
            level: w.level, kind: w.kind, reason: reason, title: title, description: description, appealID: w.appeal?.id?.rawValue,
            itemID: w.item.map { world.item($0.code).id }, urgency: w.urgency,
            leadOfficial: leadOfficial ?? (w.kind == .jointAction ? "\(dice.pick(Self.leadTitles)) \(dice.personName())" : nil),
            address: address, gridID: gridID, lat: w.appeal == nil ? w.lat : nil, lon: w.appeal == nil ? w.lon : nil,
            responders: responders.map { ResponderInput(unitID: $0.0.id, role: $0.1) })
        let whistle = try await s.blow(input, by: w.blower)
        w.id = whistle.id
        w.lane = w.appeal?.lane ?? assignLane()
        for (index, task) in try await s.tasks(of: whistle.id).enumerated() {
            let unit = world.byID[task.unitID]!
            let t = DemoTaskCase(whistle: w, id: task.id, unit: unit, actor: world.reporter(for: unit.id, dice: dice))
            w.tasks.append(t)
            t.plan = plans.map { $0[min(index, $0.count - 1)](t, task) } ?? randomPlan(t, task)
            schedule(t)
        }
        return w
    }

    /// Draws a responder's timing: mostly on time, some late, a few objections,
    /// extensions and cancellations.
    func randomPlan(_ t: DemoTaskCase, _ task: TaskRecord) -> DemoTaskPlan {
        let w = t.whistle
        var p = DemoTaskPlan()
        var from = now
        let canObject = w.level == .street || w.level == .community
        if w.tasks.count >= 2 && task.role == .support && dice.chance(0.04) {
            p.cancelAt = time.staff(from.addingTimeInterval(dice.minutes(20, 180)), dice: dice)
            return p
        }
        if canObject && dice.chance(0.06) {
            p.objectAt = from.addingTimeInterval(max(60, task.deadlines.acknowledgeBy.timeIntervalSince(from)) * dice.uniform(0.2, 0.8))
            let decide = time.staff(p.objectAt!.addingTimeInterval(dice.minutes(30, 240)), dice: dice)
            p.decideAt = decide
            if dice.chance(0.45), let target = reassignTarget(for: t) {
                p.reassignTo = target
                return p
            }
            from = decide.addingTimeInterval(dice.minutes(5, 30))
            p.ackAt = from
        } else {
            p.ackAt = time.towards(task.deadlines.acknowledgeBy, from: from, onTime: dice.chance(0.9), dice: dice, working: w.working)
        }
        let ack = p.ackAt!
        let arriveOnTime = dice.chance(0.88) && task.deadlines.arriveBy > ack.addingTimeInterval(120)
        p.arriveAt = arriveOnTime
            ? time.towards(task.deadlines.arriveBy, from: ack, onTime: true, dice: dice, working: w.working)
            : late(max(ack, task.deadlines.arriveBy).addingTimeInterval(dice.minutes(10, 240)), working: w.working)
        let arrive = p.arriveAt!
        let completeOnTime = dice.chance(0.84) && task.deadlines.completeBy > arrive.addingTimeInterval(1800)
        if w.kind != .emergency && dice.chance(0.08) && task.deadlines.completeBy > arrive.addingTimeInterval(4 * 3600) {
            let request = arrive.addingTimeInterval(task.deadlines.completeBy.timeIntervalSince(arrive) * dice.uniform(0.4, 0.8))
            let days = Double(dice.int(3...10))
            p.extensionAt = request
            p.extensionUntil = time.startOfDay(task.deadlines.completeBy.addingTimeInterval(days * 86_400)).addingTimeInterval(18 * 3600)
            p.extensionDecideAt = request.addingTimeInterval(dice.hours(1, 8))
            p.extensionGrant = dice.chance(0.7)
            let finish = task.deadlines.completeBy.addingTimeInterval(days * 86_400 * dice.uniform(0.15, 0.85))
            p.completeAt = max(finish, p.extensionDecideAt!.addingTimeInterval(3600))
        } else {
            p.completeAt = completeOnTime
                ? max(arrive.addingTimeInterval(dice.minutes(10, 60)),
                      time.towards(task.deadlines.completeBy, from: now, onTime: true, dice: dice, working: w.working, low: 0.2, high: 0.95))
                : late(max(arrive, task.deadlines.completeBy).addingTimeInterval(
                    max(1800, task.deadlines.completeBy.timeIntervalSince(now)) * dice.uniform(0.05, 0.6) + dice.minutes(10, 120)), working: w.working)
        }
        if dice.chance(0.25) {
            let at = arrive.addingTimeInterval(p.completeAt!.timeIntervalSince(arrive) * dice.uniform(0.3, 0.7))
            let moved = w.working ? time.staff(at, dice: dice) : at
            p.progressAt = moved < p.completeAt! ? moved : at
        }
        return p
    }

    /// A late instant, moved into office hours when the work keeps office hours.
    func late(_ date: Date, working: Bool) -> Date { working ? time.staff(date, dice: dice) : date }

    /// Who a dispatch objection points to: the department behind an agency, or another
    /// unit that can report at this level and is not on the whistle yet.
    func reassignTarget(for t: DemoTaskCase) -> OrgUnit? {
        let w = t.whistle
        let taken = Set(w.tasks.filter { !$0.dead }.map(\.unit.id))
        let candidates: [OrgUnit]
        switch w.level {
        case .street:
            let pool = ["urban-management", "police", "market-regulation", "housing", "municipal", "emergency", "transport"]
            let parent = t.unit.kind == .agency ? t.unit.parentID.flatMap { world.byID[$0] } : nil
            candidates = [parent].compactMap { $0 } + pool.compactMap { world.streetResponder(function: $0, street: w.street) }
        case .community:
            candidates = w.street.def.sections.compactMap { w.street.sections[$0] }
        default:
            candidates = []
        }
        return candidates.first { !taken.contains($0.id) && $0.id != t.unit.id }
    }

    /// Puts a task's planned steps on the calendar of the whistle's lane; each checks the
    /// task is still live and runs with the executing lane's history.
    func schedule(_ t: DemoTaskCase) {
        let p = t.plan
        func step(_ date: Date?, _ label: String, _ body: @escaping DemoAction) {
            guard let date else { return }
            sched.at(date, label, lane: t.whistle.lane) { h in
                guard !t.dead else { return }
                try await body(h)
            }
        }
        step(p.cancelAt, "cancel task") { h in
            t.dead = true
            _ = try await h.s.cancelTask(t.id, reason: "经研判该单位无需参与本次处置", by: t.whistle.blower)
            h.checkCompletion(t.whistle)
        }
        step(p.objectAt, "object") { h in
            let target = p.reassignTo.map { "，建议由\($0.name)负责" } ?? ""
            _ = try await h.s.object(t.id, reason: "该事项不属于本单位职责范围\(target)", by: t.actor)
        }
        step(p.decideAt, "decide objection") { h in try await h.decideObjection(t) }
        step(p.ackAt, "acknowledge") { h in _ = try await h.s.acknowledge(t.id, by: t.actor) }
        step(p.arriveAt, "arrive") { h in
            let w = t.whistle
            guard w.kind.needsSiteVisit else { return }   // a supervision whistle asks for no site visit
            _ = try await h.s.arrive(t.id, lat: w.lat + h.dice.uniform(-0.0004, 0.0004), lon: w.lon + h.dice.uniform(-0.0004, 0.0004),
                                     by: t.actor)
        }
        step(p.progressAt, "progress") { h in
            _ = try await h.s.progress(t.id, text: h.dice.pick(Self.progressNotes), photos: nil, lat: nil, lon: nil, by: t.actor)
        }
        step(p.extensionAt, "request extension") { h in
            let request = try await h.s.requestExtension(t.id, until: p.extensionUntil, reason: h.dice.pick(Self.extensionReasons),
                                                         by: t.actor)
            t.extensionID = request.id
        }
        step(p.extensionDecideAt, "decide extension") { h in
            guard let id = t.extensionID else { return }
            _ = try await h.s.decideExtension(id, grant: p.extensionGrant,
                                              reason: p.extensionGrant ? "同意延期，请按新时限办结" : "群众反映强烈，请按原时限办结",
                                              by: t.whistle.blower)
        }
        step(p.completeAt, "complete") { h in try await h.completeTask(t) }
    }

    func decideObjection(_ t: DemoTaskCase) async throws {
        let w = t.whistle
        let taken = Set(w.tasks.filter { !$0.dead }.map(\.unit.id))
        let planned = t.plan.reassignTo.flatMap { taken.contains($0.id) ? reassignTarget(for: t) : $0 }
        guard let target = planned else {
            t.overruled = true
            _ = try await s.overruleObjection(t.id, reason: "经查吹哨清单，本单位负有相应职责，请立即报到", by: w.blower)
            return
        }
        let replacement = try await s.reassign(t.id, to: target.id, reason: "异议成立，改派\(target.name)", by: w.blower)
        t.dead = true
        let r = DemoTaskCase(whistle: w, id: replacement.id, unit: target, actor: world.reporter(for: target.id, dice: dice))
        w.tasks.append(r)
        r.plan = t.replacementPlan?(r, replacement) ?? randomPlan(r, replacement)
        schedule(r)
    }

    func completeTask(_ t: DemoTaskCase) async throws {
        let result = t.whistle.item?.result ?? "已按要求处置完毕"
        _ = try await s.complete(t.id, result: result, photos: nil, by: t.actor)
        t.done = true
        checkCompletion(t.whistle)
    }
}
