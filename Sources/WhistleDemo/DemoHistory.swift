import Foundation
import WhistleCore
import WhistleStore

/// What happens to an appeal once the street has looked at it.
enum DemoRoute {
    case local
    case whistle
    case dismiss(String)
}

/// One appeal being simulated.
final class DemoAppealCase {
    let street: DemoStreet
    let community: DemoCommunity
    let gridIndex: Int
    let item: DemoItemDef
    let channel: Channel
    let urgency: Urgency
    let address: String
    let lat: Double
    let lon: Double
    let description: String
    let appellantName: String
    let appellantPhone: String
    /// Who takes it in; nil for a citizen submitting online.
    let receiver: Actor?
    var route: DemoRoute
    /// Whether the generator drives the next steps (the showcase drives its own).
    var auto = true
    /// The lane that runs its unnumbered steps.
    var lane = 0
    var id: AppealID?
    var number = ""
    var reopened = false
    var handler: OrgUnit?

    init(street: DemoStreet, community: DemoCommunity, gridIndex: Int, item: DemoItemDef, channel: Channel, urgency: Urgency,
         address: String, lat: Double, lon: Double, description: String, appellantName: String, appellantPhone: String,
         receiver: Actor?, route: DemoRoute) {
        self.street = street; self.community = community; self.gridIndex = gridIndex; self.item = item
        self.channel = channel; self.urgency = urgency; self.address = address
        // The point lies in the appeal's grid (the demo's boundaries, `DemoGeography`).
        (self.lat, self.lon) = DemoGeography.inGrid(community.def, gridIndex, lat: lat, lon: lon)
        self.description = description; self.appellantName = appellantName; self.appellantPhone = appellantPhone
        self.receiver = receiver; self.route = route
    }

    var grid: OrgUnit { community.grids[gridIndex] }
}

/// The year of activity: appeals from every channel, local handling, whistles at every
/// level, and the blowers' and responders' steps, all through `Services`.
final class DemoHistory {
    let s: Services
    let world: DemoWorld
    let dice: DemoDice
    let sched: DemoScheduler
    let time: DemoTime
    let start: Date
    let end: Date
    /// How many lanes run (the intake and the lanes it spreads cases over).
    let lanes: Int
    let received: DemoCounter
    let report: @Sendable (String) -> Void
    private var cases = 0

    init(s: Services, world: DemoWorld, lanes: Int, dice: DemoDice, sched: DemoScheduler, start: Date, end: Date,
         received: DemoCounter, report: @escaping @Sendable (String) -> Void) {
        self.s = s; self.world = world; self.lanes = lanes; self.dice = dice; self.sched = sched; self.start = start
        self.end = end; self.received = received; self.report = report
        time = DemoTime(calendar: s.calendar)
    }

    /// The lane for a new case (the intake creates every case): round robin.
    func assignLane() -> Int {
        cases += 1
        return lanes == 1 ? 0 : 1 + (cases - 1) % (lanes - 1)
    }

    var now: Date { s.clock.now() }

    static let channelWeights: [(Channel, Double)] = [
        (.hotline12345, 40), (.gridWorker, 17), (.streetChiefPatrol, 10), (.citizenOnline, 9), (.hotline96105, 4),
        (.commandVideo, 4), (.sectionDaily, 3), (.leadersMailbox, 2), (.districtAssignment, 2), (.petition, 2),
        (.enterprise, 2), (.emergency, 1), (.hotline12348, 1), (.hotline12338, 1), (.other, 2),
    ]
    static let citizenHours: [Double] = [0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 3, 4, 4, 3.5, 3, 3, 3.5, 3.5, 3, 3, 2.5, 2.5, 2.5, 2, 1.2, 0.5]
    static let enterprises = ["清河园餐饮管理有限公司", "柳荫文化传媒有限公司", "金域商贸有限公司", "石桥建材经营部", "明珠超市连锁有限公司"]
    static let dismissals = ["经核实，该诉求不属于本街道管辖范围，已告知诉求人向属地街道反映", "诉求人表示问题已自行解决，撤回诉求",
                             "咨询类诉求，已当场答复", "诉求涉及民事纠纷，已引导诉求人通过司法途径解决"]

    // MARK: Planning the year

    /// A street's share of the district's communities (and so of its appeals).
    func share(_ street: DemoStreet) -> Double {
        Double(street.communities.count) / Double(world.streets.reduce(0) { $0 + $1.communities.count })
    }

    /// Schedules each street's share of the year's appeals at realistic instants.
    func planAppeals(districtTotal: Double) {
        for street in world.streets {
            planAppeals(street: street, count: Int((districtTotal * share(street)).rounded()))
        }
    }

    func planAppeals(street: DemoStreet, count: Int) {
        for _ in 0..<count {
            let channel = dice.weighted(Self.channelWeights)
            let at = instant(staffOnly: [.gridWorker, .streetChiefPatrol, .sectionDaily, .districtAssignment].contains(channel))
            guard at < end else { continue }
            let c = makeCase(street: street, community: dice.pick(street.communities), channel: channel, item: pickItem(at), at: at)
            sched.at(at, "receive", lane: c.lane, numbered: true) { h in try await h.receive(c) }
        }
    }

    /// An instant in the year: staff work in office hours on working days, citizens call
    /// around the clock, mostly by day.
    func instant(staffOnly: Bool) -> Date {
        var day = time.startOfDay(start.addingTimeInterval(dice.uniform(0, end.timeIntervalSince(start))))
        if staffOnly {
            if !time.calendar.isWorkingDay(day) && dice.chance(0.85) {
                for _ in 0..<3 where !time.calendar.isWorkingDay(day) {
                    day = time.startOfDay(day.addingTimeInterval(86_400 + 3600))
                }
            }
            return day.addingTimeInterval(dice.hours(8.5, 17.5))
        }
        let hour = dice.weighted(Self.citizenHours.enumerated().map { ($0.offset, $0.element) })
        return day.addingTimeInterval(Double(hour) * 3600 + dice.minutes(0, 60))
    }

    func pickItem(_ at: Date) -> DemoItemDef {
        let month = time.month(at)
        let summer = (6...9).contains(month), winter = month >= 11 || month <= 3
        return dice.weighted(world.itemDefs.map { item in
            switch item.season {
            case .any: (item, item.weight)
            case .summer: (item, item.weight * (summer ? 4 : 0.2))
            case .winter: (item, item.weight * (winter ? 4 : 0.05))
            }
        })
    }

    func address(street: DemoStreet, community: DemoCommunity) -> String {
        if dice.chance(0.55) {
            return "\(DemoOrg.districtName)\(community.def.compound)\(dice.int(1...24))号楼\(dice.int(1...6))单元"
        }
        return "\(DemoOrg.districtName)\(dice.pick(street.def.roads))\(dice.int(1...188))号"
    }

    func makeCase(street: DemoStreet, community: DemoCommunity, channel: Channel, item: DemoItemDef, at: Date,
                  route: DemoRoute? = nil, urgency: Urgency? = nil) -> DemoAppealCase {
        let gridIndex = dice.int(0...(community.grids.count - 1))
        let urgency = urgency ?? {
            if channel == .emergency { return item.limitEmergency != nil ? .emergency : .urgent }
            return dice.weighted([(.emergency, item.emergencyShare), (.urgent, item.urgentShare),
                                  (.normal, max(0, 1 - item.emergencyShare - item.urgentShare))])
        }()
        let receiver: Actor? = switch channel {
        case .gridWorker: community.gridWorkers[gridIndex]
        case .streetChiefPatrol: street.chief
        case .citizenOnline: nil
        case .other: community.buildingManager ?? street.dispatcher
        default: street.dispatcher
        }
        let staffReported: Set<Channel> = [.gridWorker, .streetChiefPatrol, .sectionDaily, .commandVideo, .other]
        let name = channel == .enterprise ? dice.pick(Self.enterprises)
            : staffReported.contains(channel) ? (receiver?.personName ?? dice.personName()) : dice.personName()
        let suffix = dice.pick(["", "，希望尽快处理。", "，请相关部门尽快解决。", "，已多次反映未解决。", "，影响周边居民生活。"])
        let whistleChance = urgency == .emergency ? 0.3 : urgency == .urgent ? 0.1 : 0.05
        let route = route ?? (dice.chance(0.02) ? .dismiss(dice.pick(Self.dismissals)) : dice.chance(whistleChance) ? .whistle : .local)
        let c = DemoAppealCase(
            street: street, community: community, gridIndex: gridIndex, item: item, channel: channel, urgency: urgency,
            address: address(street: street, community: community),
            lat: community.def.lat + dice.uniform(-0.002, 0.002), lon: community.def.lon + dice.uniform(-0.002, 0.002),
            description: dice.pick(item.texts) + suffix, appellantName: name, appellantPhone: dice.phone(),
            receiver: receiver, route: route)
        c.lane = assignLane()
        return c
    }

    // MARK: Appeal steps

    func receive(_ c: DemoAppealCase) async throws {
        // The street follows from the receiver's unit (or, online, from the grid).
        let input = NewAppeal(channel: c.channel, appellantName: c.appellantName, appellantPhone: c.appellantPhone, gridID: c.grid.id,
                              address: c.address, lat: c.lat, lon: c.lon, description: c.description,
                              itemID: world.item(c.item.code).id, urgency: c.urgency)
        let appeal = try await s.receiveAppeal(input, by: c.receiver)
        c.id = appeal.id
        c.number = appeal.number
        let count = received.increment()
        if count % 500 == 0 { report("demo: \(count) appeals received (\(iso(now).prefix(10)))") }
        guard c.auto else { return }
        if case .local = c.route, dice.chance(0.04) { spawnDuplicate(of: c) }
        if case .whistle = c.route, dice.chance(0.04) { spawnDuplicate(of: c) }
        sched.at(triageTime(c), "triage", lane: c.lane, numbered: blows(c)) { h in try await h.triage(c) }
    }

    func triageTime(_ c: DemoAppealCase) -> Date {
        switch c.urgency {
        case .emergency: now.addingTimeInterval(dice.minutes(2, 9))
        case .urgent: now.addingTimeInterval(dice.minutes(10, 50))
        case .normal: time.staff(now.addingTimeInterval(dice.minutes(10, 150)), dice: dice)
        }
    }

    /// The same matter reported again through another channel, dismissed as a duplicate.
    func spawnDuplicate(of original: DemoAppealCase) {
        let at = now.addingTimeInterval(dice.hours(2, 60))
        let channel: Channel = dice.chance(0.7) ? .hotline12345 : .citizenOnline
        let dup = DemoAppealCase(
            street: original.street, community: original.community, gridIndex: original.gridIndex, item: original.item,
            channel: channel, urgency: original.urgency, address: original.address, lat: original.lat, lon: original.lon,
            description: dice.pick(original.item.texts) + "，之前有人反映过但还没解决。", appellantName: dice.personName(),
            appellantPhone: dice.phone(), receiver: channel == .citizenOnline ? nil : original.street.dispatcher,
            route: .dismiss("重复诉求，已并入 \(original.number) 合并办理"))
        dup.lane = assignLane()
        sched.at(at, "receive duplicate", lane: dup.lane, numbered: true) { h in try await h.receive(dup) }
    }

    /// Whether triage blows a whistle (and so draws a number).
    func blows(_ c: DemoAppealCase) -> Bool {
        if case .whistle = c.route { return !c.reopened }
        return false
    }

    func triage(_ c: DemoAppealCase) async throws {
        switch c.route {
        case .dismiss(let reason):
            _ = try await s.dismiss(c.id!, reason: reason, by: c.street.dispatcher)
        case .whistle where !c.reopened:
            try await blowOnAppeal(c)
        default:
            try await handle(c, by: chooseHandler(c))
        }
    }

    func chooseHandler(_ c: DemoAppealCase) -> OrgUnit {
        if c.channel == .gridWorker && !c.reopened && dice.chance(0.6) { return c.grid }
        let section = c.street.sections[c.item.primary] ?? c.item.supporting.lazy.compactMap { c.street.sections[$0] }.first
        let roll = dice.unit()
        if let section, roll < 0.5 { return section }
        return roll < 0.82 ? c.community.unit : c.grid
    }

    func handle(_ c: DemoAppealCase, by handler: OrgUnit) async throws {
        let note = dice.pick(["请核实情况后尽快处置", "请社区先行处置并反馈", "按职责办理，注意回访", ""])
        let appeal = try await s.handleLocally(c.id!, handlingUnitID: handler.id, note: note, by: c.street.dispatcher)
        c.handler = handler
        guard c.auto else { return }
        let due = appeal.dueAt ?? now.addingTimeInterval(7 * 86_400)
        let at = time.towards(due, from: now, onTime: dice.chance(0.86), dice: dice, working: c.urgency == .normal, low: 0.1, high: 0.8)
        sched.at(at, "complete locally", lane: c.lane) { h in try await h.completeLocally(c) }
    }

    func completer(_ c: DemoAppealCase) -> Actor {
        guard let handler = c.handler else { return c.street.dispatcher }
        if handler.kind == .grid, let i = c.community.grids.firstIndex(where: { $0.id == handler.id }) { return c.community.gridWorkers[i] }
        if handler.kind == .community { return c.community.staff }
        return world.reporters[handler.id]?.first ?? c.street.dispatcher
    }

    func completeLocally(_ c: DemoAppealCase) async throws {
        let result = c.reopened ? "再次上门核实，\(c.item.result)，诉求人认可处理结果" : c.item.result
        _ = try await s.completeLocally(c.id!, result: result, photos: nil, by: completer(c))
        guard c.auto else { return }
        scheduleCallback(c)
    }

    func scheduleCallback(_ c: DemoAppealCase) {
        let at = time.staff(now.addingTimeInterval(dice.hours(3, 72)), dice: dice)
        let satisfaction: Satisfaction = c.reopened
            ? dice.weighted([(.satisfied, 0.6), (.basicallySatisfied, 0.35), (.dissatisfied, 0.05)])
            : dice.weighted([(.satisfied, 0.78), (.basicallySatisfied, 0.16), (.dissatisfied, 0.06)])
        let reopen = satisfaction == .dissatisfied && !c.reopened && dice.chance(0.75)
        sched.at(at, "callback", lane: c.lane) { h in try await h.callback(c, satisfaction, reopen: reopen) }
    }

    func callback(_ c: DemoAppealCase, _ satisfaction: Satisfaction, reopen: Bool) async throws {
        let online = c.channel == .citizenOnline && dice.chance(0.3)
        let comment: String = switch satisfaction {
        case .satisfied: dice.pick(["问题已解决，感谢", "处理很及时", "满意", ""])
        case .basicallySatisfied: dice.pick(["基本解决，希望长效管理", "处理时间有点长", "还有小问题但可以接受"])
        case .dissatisfied: dice.pick(["问题没有解决，仍然存在", "只是走过场，没人来现场", "处理结果不认可"])
        }
        _ = try await s.callback(c.id!, satisfaction: satisfaction, comment: comment, reopen: reopen,
                                 by: online ? nil : c.street.dispatcher)
        guard reopen, c.auto else { return }
        c.reopened = true
        sched.at(time.staff(now.addingTimeInterval(dice.hours(1, 20)), dice: dice), "triage reopened", lane: c.lane) { h in
            try await h.triage(c)
        }
    }
}
