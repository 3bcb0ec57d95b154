import Foundation

/// Which side of the mechanism a metric measures.
public enum MetricSide: String, Codable, Sendable, CaseIterable {
    /// Streets, towns, communities: the units that receive appeals and blow whistles.
    case blower
    /// Departments, agencies, sections, …: the units summoned to report.
    case responder
}

/// Every metric Whistle publishes, with its written definition. `docs/METRICS.md` says the
/// same at more length; the API returns `definition` next to each figure.
public enum MetricID: String, Codable, Sendable, CaseIterable {
    // Responder side
    case reportRate, onTimeReportRate, arrivalRate, instantCompletionRate, onTimeClosureRate
    case reworkRate, extensionRate, objectionRate, summoned, supervisionOrders, ratings, goodShare, reviews
    case handoversOut, handoversIn
    // Blower side
    case appeals, responseRate, resolutionRate, satisfactionRate, whistles, whistleClosureRate

    public var side: MetricSide {
        switch self {
        case .appeals, .responseRate, .resolutionRate, .satisfactionRate, .whistles, .whistleClosureRate: .blower
        default: .responder
        }
    }

    /// A ratio (0…1) or a plain count.
    public var isRate: Bool {
        ![.summoned, .supervisionOrders, .ratings, .reviews, .handoversOut, .handoversIn, .appeals, .whistles].contains(self)
    }

    public var nameZh: String {
        switch self {
        case .reportRate: "报到率"
        case .onTimeReportRate: "按时报到率"
        case .arrivalRate: "按时到场率"
        case .instantCompletionRate: "即时办结率"
        case .onTimeClosureRate: "按期结案率"
        case .reworkRate: "返工率"
        case .extensionRate: "延期率"
        case .objectionRate: "派单异议率"
        case .summoned: "被吹哨次数"
        case .supervisionOrders: "督办次数"
        case .ratings: "一哨一考评价数"
        case .goodShare: "“好”评占比"
        case .reviews: "应急总结评估数"
        case .handoversOut: "移交案件数"
        case .handoversIn: "接收移交数"
        case .appeals: "受理诉求数"
        case .responseRate: "响应率"
        case .resolutionRate: "解决率"
        case .satisfactionRate: "满意率"
        case .whistles: "吹哨次数"
        case .whistleClosureRate: "吹哨结案率"
        }
    }

    public var nameEn: String {
        switch self {
        case .reportRate: "report rate"
        case .onTimeReportRate: "on-time report rate"
        case .arrivalRate: "arrival-within-limit rate"
        case .instantCompletionRate: "instant completion rate"
        case .onTimeClosureRate: "on-time closure rate"
        case .reworkRate: "rework rate"
        case .extensionRate: "extension rate"
        case .objectionRate: "dispatch-objection rate"
        case .summoned: "times summoned"
        case .supervisionOrders: "supervision orders"
        case .ratings: "ratings received"
        case .goodShare: "share of 好 ratings"
        case .reviews: "emergency reviews"
        case .handoversOut: "cases handed over"
        case .handoversIn: "cases taken over"
        case .appeals: "appeals received"
        case .responseRate: "response rate"
        case .resolutionRate: "resolution rate"
        case .satisfactionRate: "satisfaction rate"
        case .whistles: "whistles blown"
        case .whistleClosureRate: "whistle closure rate"
        }
    }

    /// Numerator, denominator, exclusions and timestamps, in one sentence each.
    public var definition: MetricDefinition {
        let tasks = "tasks summoned to the unit (or a unit below it) with tasks.created_at in the period"
        let counted = "those tasks, less the ones reassigned to another unit or withdrawn by the blower"
        switch self {
        case .reportRate:
            return .init(numerator: "counted tasks acknowledged (报到) at any time so far", denominator: counted,
                         excluded: "reassigned and withdrawn tasks", timestamps: "tasks.created_at (cohort)")
        case .onTimeReportRate:
            return .init(numerator: "counted tasks acknowledged no later than the acknowledge deadline in force at that moment",
                         denominator: counted, excluded: "reassigned and withdrawn tasks",
                         timestamps: "tasks.created_at (cohort); the acknowledgement's time against the deadline then in force")
        case .arrivalRate:
            return .init(numerator: "counted tasks whose arrival on site was no later than the arrival deadline then in force",
                         denominator: counted + ", of whistles that ask for a site visit (every kind but supervision)",
                         excluded: "reassigned and withdrawn tasks; tasks of supervision whistles (no site visit asked); a task never on site counts as not arrived",
                         timestamps: "tasks.created_at (cohort); the arrival's time")
        case .instantCompletionRate:
            return .init(numerator: "counted tasks verified, completed on time at the first attempt, with no rework and no extension",
                         denominator: counted, excluded: "reassigned and withdrawn tasks",
                         timestamps: "tasks.created_at (cohort); the completion's time")
        case .onTimeClosureRate:
            return .init(numerator: "counted tasks verified (核查通过) whose last completion was within the deadline then in force (extensions included)",
                         denominator: counted, excluded: "reassigned and withdrawn tasks; tasks still in progress count as not yet closed",
                         timestamps: "tasks.created_at (cohort); the last completion's time")
        case .reworkRate:
            return .init(numerator: "counted tasks sent back for rework (返工) at least once", denominator: counted,
                         excluded: "reassigned and withdrawn tasks", timestamps: "tasks.created_at (cohort)")
        case .extensionRate:
            return .init(numerator: "counted tasks granted at least one extension (延期)", denominator: counted,
                         excluded: "reassigned and withdrawn tasks; refused or lapsed requests", timestamps: "tasks.created_at (cohort)")
        case .objectionRate:
            return .init(numerator: "summoned tasks on which the unit raised a dispatch objection (派单异议)", denominator: tasks,
                         excluded: "nothing", timestamps: "tasks.created_at (cohort)")
        case .summoned:
            return .init(numerator: tasks, denominator: nil, excluded: "nothing", timestamps: "tasks.created_at")
        case .supervisionOrders:
            return .init(numerator: "supervision orders (督办) issued to the unit, by a supervisor or the escalation chain",
                         denominator: nil, excluded: "nothing", timestamps: "supervision_orders.created_at")
        case .ratings:
            return .init(numerator: "ratings (一哨一考) given to the unit", denominator: nil,
                         excluded: "nothing; an amended rating counts once, with its current grade", timestamps: "ratings.rated_at")
        case .reviews:
            return .init(numerator: "reviews (总结评估) the street's task force wrote on the unit after emergencies, by grade in the counts",
                         denominator: nil, excluded: "nothing", timestamps: "reviews.reviewed_at")
        case .handoversOut:
            return .init(numerator: "cases the unit handed on to another unit (移交) or referred to criminal handling (行刑衔接)",
                         denominator: nil, excluded: "nothing; a refused handover still counts as handed on", timestamps: "handovers.created_at")
        case .handoversIn:
            return .init(numerator: "cases another unit handed to this one", denominator: nil,
                         excluded: "nothing; a refused handover still counts", timestamps: "handovers.created_at")
        case .goodShare:
            return .init(numerator: "ratings given to the unit whose current grade is 好", denominator: "ratings given to the unit",
                         excluded: "nothing", timestamps: "ratings.rated_at")
        case .appeals:
            return .init(numerator: "appeals received by the unit (or a unit below it) with appeals.created_at in the period",
                         denominator: nil, excluded: "nothing", timestamps: "appeals.created_at")
        case .responseRate:
            return .init(numerator: "those appeals taken up: handled locally, whistled or dismissed at least once",
                         denominator: "appeals received in the period", excluded: "nothing", timestamps: "appeals.created_at (cohort)")
        case .resolutionRate:
            return .init(numerator: "those appeals now resolved (办结待回访) or closed after the callback",
                         denominator: "appeals received in the period, less the dismissed ones",
                         excluded: "dismissed appeals (不予受理)", timestamps: "appeals.created_at (cohort); state as of now")
        case .satisfactionRate:
            return .init(numerator: "those appeals closed by a callback that said 满意 or 基本满意",
                         denominator: "appeals received in the period and closed by a callback",
                         excluded: "appeals not yet closed; dismissed appeals", timestamps: "appeals.created_at (cohort)")
        case .whistles:
            return .init(numerator: "whistles blown by the unit (or a unit below it) with whistles.blown_at in the period; split by kind, level and catalogue class",
                         denominator: nil, excluded: "nothing", timestamps: "whistles.blown_at")
        case .whistleClosureRate:
            return .init(numerator: "those whistles closed (核查结案)", denominator: "whistles blown in the period, less the cancelled ones",
                         excluded: "cancelled whistles", timestamps: "whistles.blown_at (cohort); state as of now")
        }
    }
}

extension MetricID {
    /// The definition in the given language: `definitionZh` for Chinese, `definition` otherwise.
    public func definition(in language: Language) -> MetricDefinition {
        language == .zh ? definitionZh : definition
    }

    /// The same definition as `definition`, in Chinese, for the Chinese pages. The meaning is
    /// the English one's, clause for clause; column names stay as they are.
    public var definitionZh: MetricDefinition {
        let tasks = "统计期内创建（tasks.created_at）的本单位（含下级单位）被吹哨任务"
        let counted = tasks + "，扣除其中已改派至其他单位和由吹哨方撤回的任务（即“计入任务”）"
        let notCounted = "已改派和已撤回的任务"
        let taskCohort = "tasks.created_at（按创建时间归期）"
        let appealCohort = "appeals.created_at（按受理时间归期）"
        switch self {
        case .reportRate:
            return .init(numerator: "计入任务中截至目前已报到的任务（不论何时报到）", denominator: counted,
                         excluded: notCounted, timestamps: taskCohort)
        case .onTimeReportRate:
            return .init(numerator: "计入任务中报到时间不晚于当时有效的报到时限的任务",
                         denominator: counted, excluded: notCounted,
                         timestamps: taskCohort + "；以报到时间对照当时有效的时限")
        case .arrivalRate:
            return .init(numerator: "计入任务中到场时间不晚于当时有效的到场时限的任务",
                         denominator: counted + "中需要到场的任务（监督管理哨不要求到场）",
                         excluded: notCounted + "；监督管理哨的任务；从未到场的任务按未到场计",
                         timestamps: taskCohort + "；到场时间")
        case .instantCompletionRate:
            return .init(numerator: "计入任务中已核查通过、首次办理即按时办结、未返工且未延期的任务",
                         denominator: counted, excluded: notCounted,
                         timestamps: taskCohort + "；办结时间")
        case .onTimeClosureRate:
            return .init(numerator: "计入任务中已核查通过、且最后一次办结在当时有效的时限（含延期）内的任务",
                         denominator: counted, excluded: notCounted + "；仍在办理的任务按尚未结案计",
                         timestamps: taskCohort + "；最后一次办结的时间")
        case .reworkRate:
            return .init(numerator: "计入任务中至少被退回返工一次的任务", denominator: counted,
                         excluded: notCounted, timestamps: taskCohort)
        case .extensionRate:
            return .init(numerator: "计入任务中至少获批一次延期的任务", denominator: counted,
                         excluded: notCounted + "；被驳回或已失效的延期申请", timestamps: taskCohort)
        case .objectionRate:
            return .init(numerator: "被吹哨任务中本单位提出派单异议的任务", denominator: tasks,
                         excluded: "无", timestamps: taskCohort)
        case .summoned:
            return .init(numerator: tasks, denominator: nil, excluded: "无", timestamps: "tasks.created_at")
        case .supervisionOrders:
            return .init(numerator: "督查人员或逐级升级链向本单位发出的督办",
                         denominator: nil, excluded: "无", timestamps: "supervision_orders.created_at")
        case .ratings:
            return .init(numerator: "本单位收到的“一哨一考”评价", denominator: nil,
                         excluded: "无；修改过的评价只计一次，按当前等次计", timestamps: "ratings.rated_at")
        case .reviews:
            return .init(numerator: "应急处置后街道工作专班对本单位的总结评估（分等次计数）", denominator: nil,
                         excluded: "无", timestamps: "reviews.reviewed_at")
        case .handoversOut:
            return .init(numerator: "本单位移交其他单位（含行刑衔接移送）的案件", denominator: nil,
                         excluded: "无；被拒收的移交也计入", timestamps: "handovers.created_at")
        case .handoversIn:
            return .init(numerator: "其他单位移交本单位的案件", denominator: nil, excluded: "无；拒收的也计入", timestamps: "handovers.created_at")
        case .goodShare:
            return .init(numerator: "本单位收到的评价中当前等次为“好”的评价", denominator: "本单位收到的评价",
                         excluded: "无", timestamps: "ratings.rated_at")
        case .appeals:
            return .init(numerator: "统计期内受理（appeals.created_at）的本单位（含下级单位）诉求",
                         denominator: nil, excluded: "无", timestamps: "appeals.created_at")
        case .responseRate:
            return .init(numerator: "统计期内受理的诉求中至少处置过一次（自办、吹哨或不予受理）的诉求",
                         denominator: "统计期内受理的诉求", excluded: "无", timestamps: appealCohort)
        case .resolutionRate:
            return .init(numerator: "统计期内受理的诉求中目前已办结待回访或经回访已结案的诉求",
                         denominator: "统计期内受理的诉求，扣除其中不予受理的",
                         excluded: "不予受理的诉求", timestamps: appealCohort + "；状态以当前为准")
        case .satisfactionRate:
            return .init(numerator: "统计期内受理的诉求中经回访结案、且回访结果为“满意”或“基本满意”的诉求",
                         denominator: "统计期内受理且经回访结案的诉求",
                         excluded: "尚未结案的诉求；不予受理的诉求", timestamps: appealCohort)
        case .whistles:
            return .init(numerator: "统计期内（whistles.blown_at）本单位（含下级单位）发起的吹哨；按哨种、层级和事项清单类别分列",
                         denominator: nil, excluded: "无", timestamps: "whistles.blown_at")
        case .whistleClosureRate:
            return .init(numerator: "统计期内发起的吹哨中已核查结案的吹哨", denominator: "统计期内发起的吹哨，扣除已撤销的",
                         excluded: "已撤销的吹哨", timestamps: "whistles.blown_at（按吹哨时间归期）；状态以当前为准")
        }
    }
}

public struct MetricDefinition: Codable, Sendable, Equatable {
    public var numerator: String
    public var denominator: String?
    public var excluded: String
    public var timestamps: String
}

/// One published figure: the value with the two counts it is made of.
public struct MetricFigure: Codable, Sendable, Equatable {
    public var metric: MetricID
    public var numerator: Int
    /// Nil for plain counts.
    public var denominator: Int?
    /// The ratio, or nil when the denominator is 0 (no basis, not zero).
    public var value: Double?

    public init(metric: MetricID, numerator: Int, denominator: Int?) {
        self.metric = metric; self.numerator = numerator; self.denominator = denominator
        if let denominator { value = denominator == 0 ? nil : Double(numerator) / Double(denominator) } else { value = Double(numerator) }
    }
}

/// The formulas: counts → figures.
public enum MetricFormulas {
    public static func responder(_ c: ResponderCounts) -> [MetricFigure] {
        [
            .init(metric: .summoned, numerator: c.summoned, denominator: nil),
            .init(metric: .reportRate, numerator: c.acknowledged, denominator: c.counted),
            .init(metric: .onTimeReportRate, numerator: c.acknowledgedOnTime, denominator: c.counted),
            .init(metric: .arrivalRate, numerator: c.arrivedOnTime, denominator: c.siteVisits),
            .init(metric: .instantCompletionRate, numerator: c.instant, denominator: c.counted),
            .init(metric: .onTimeClosureRate, numerator: c.completedOnTime, denominator: c.counted),
            .init(metric: .reworkRate, numerator: c.reworked, denominator: c.counted),
            .init(metric: .extensionRate, numerator: c.extended, denominator: c.counted),
            .init(metric: .objectionRate, numerator: c.objected, denominator: c.summoned),
            .init(metric: .supervisionOrders, numerator: c.supervisionOrders, denominator: nil),
            .init(metric: .ratings, numerator: c.ratings, denominator: nil),
            .init(metric: .goodShare, numerator: c.grades[.good] ?? 0, denominator: c.ratings),
            .init(metric: .reviews, numerator: c.reviewGrades.values.reduce(0, +), denominator: nil),
            .init(metric: .handoversOut, numerator: c.handoversOut, denominator: nil),
            .init(metric: .handoversIn, numerator: c.handoversIn, denominator: nil),
        ]
    }

    public static func blower(_ c: BlowerCounts) -> [MetricFigure] {
        [
            .init(metric: .appeals, numerator: c.appeals, denominator: nil),
            .init(metric: .responseRate, numerator: c.takenUp, denominator: c.appeals),
            .init(metric: .resolutionRate, numerator: c.resolved, denominator: c.appeals - c.dismissed),
            .init(metric: .satisfactionRate, numerator: c.satisfied, denominator: c.callbacks),
            .init(metric: .whistles, numerator: c.whistles, denominator: nil),
            .init(metric: .whistleClosureRate, numerator: c.whistlesClosed, denominator: c.whistles - c.whistlesCancelled),
        ]
    }
}
