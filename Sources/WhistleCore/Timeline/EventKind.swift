/// What a timeline event records. Every state change appends one, in the same transaction.
public enum EventKind: String, Codable, CaseIterable, Sendable {
    case appealReceived = "appeal.received"
    case appealHandledLocally = "appeal.handled_locally"
    case appealCompletedLocally = "appeal.completed_locally"
    case appealWhistled = "appeal.whistled"
    case appealResolved = "appeal.resolved"
    case appealCallback = "appeal.callback"
    case appealReopened = "appeal.reopened"
    case appealDismissed = "appeal.dismissed"
    case whistleBlown = "whistle.blown"
    case whistleCompleted = "whistle.completed"
    case whistleClosed = "whistle.closed"
    case whistleCancelled = "whistle.cancelled"
    case taskSummoned = "task.summoned"
    case taskAcknowledged = "task.acknowledged"
    case taskArrived = "task.arrived"
    case taskProgress = "task.progress"
    case taskExtensionRequested = "task.extension_requested"
    case taskExtensionGranted = "task.extension_granted"
    case taskExtensionRefused = "task.extension_refused"
    case taskObjected = "task.objected"
    case taskObjectionOverruled = "task.objection_overruled"
    case taskReassigned = "task.reassigned"
    case taskCancelled = "task.cancelled"
    case taskCompleted = "task.completed"
    case taskVerified = "task.verified"
    case taskReworked = "task.reworked"
    case taskRated = "task.rated"
    case ratingAmended = "rating.amended"
    case clockReminded = "clock.reminded"
    case clockOverdue = "clock.overdue"
    case clockEscalated = "clock.escalated"
    case taskSupervised = "task.supervised"
    // Commanding a case after it is blown (issue 14)
    case taskChanged = "task.changed"
    case taskFiled = "task.filed"
    case casePosted = "whistle.posted"
    case whistleReopened = "whistle.reopened"
    case commandSetUp = "whistle.command_set_up"
    case meetingConvened = "whistle.meeting_convened"
    case meetingHeld = "whistle.meeting_held"
    case taskHandedOver = "task.handed_over"
    case taskHandoverAccepted = "task.handover_accepted"
    case taskHandoverRefused = "task.handover_refused"
    case holdRequested = "whistle.hold_requested"
    case holdStarted = "whistle.hold_started"
    case holdRefused = "whistle.hold_refused"
    case holdEnded = "whistle.hold_ended"
    // Accountability (issue 5)
    case ratingYearFinalised = "rating.year_finalised"
    case agencyHeadProposed = "agency_head.proposed"
    case agencyHeadDecided = "agency_head.decided"
    case agencyHeadCompleted = "agency_head.completed"
    case agencyHeadEvaluated = "agency_head.evaluated"
    // Settings changes that widen who may act (issue 12)
    case summonExceptionsChanged = "settings.summon_exceptions"

    public var nameZh: String {
        switch self {
        case .appealReceived: "受理诉求"
        case .appealHandledLocally: "街道自办"
        case .appealCompletedLocally: "自办办结"
        case .appealWhistled: "吹哨"
        case .appealResolved: "办结待回访"
        case .appealCallback: "回访"
        case .appealReopened: "重新办理"
        case .appealDismissed: "不予受理"
        case .whistleBlown: "吹哨"
        case .whistleCompleted: "全部办结"
        case .whistleClosed: "核查结案"
        case .whistleCancelled: "撤销吹哨"
        case .taskSummoned: "通知报到"
        case .taskAcknowledged: "报到"
        case .taskArrived: "到场"
        case .taskProgress: "进展"
        case .taskExtensionRequested: "申请延期"
        case .taskExtensionGranted: "批准延期"
        case .taskExtensionRefused: "不予延期"
        case .taskObjected: "派单异议"
        case .taskObjectionOverruled: "驳回异议"
        case .taskReassigned: "改派"
        case .taskCancelled: "撤回任务"
        case .taskCompleted: "办结"
        case .taskVerified: "核查通过"
        case .taskReworked: "返工"
        case .taskRated: "一哨一考评价"
        case .ratingAmended: "修改评价"
        case .clockReminded: "时限提醒"
        case .clockOverdue: "超时"
        case .clockEscalated: "逐级催办"
        case .taskChanged: "调整任务"
        case .taskFiled: "立案"
        case .casePosted: "指挥记录"
        case .whistleReopened: "重新处置"
        case .commandSetUp: "成立临时指挥部"
        case .meetingConvened: "召集协调会"
        case .meetingHeld: "协调会纪要"
        case .taskHandedOver: "移交"
        case .taskHandoverAccepted: "接收移交"
        case .taskHandoverRefused: "拒绝接收移交"
        case .taskSupervised: "督办"
        case .holdRequested: "申请挂账"
        case .holdStarted: "批准挂账"
        case .holdRefused: "不予挂账"
        case .holdEnded: "结束挂账"
        case .ratingYearFinalised: "年度评价定稿"
        case .agencyHeadProposed: "征求任免意见"
        case .agencyHeadDecided: "街道党（工）委意见"
        case .agencyHeadCompleted: "完成任免"
        case .agencyHeadEvaluated: "派驻机构负责人纪实评价"
        case .summonExceptionsChanged: "调整跨范围召集例外"
        }
    }
}

extension EventKind {
    /// The steps a citizen sees on the tracking page and its live stream: kinds and times only,
    /// never names, units' notes or personal data (PIPL; DOMAIN.md, "Privacy").
    public var isPublic: Bool {
        switch self {
        case .appealReceived, .appealHandledLocally, .appealWhistled, .taskAcknowledged, .taskArrived, .taskCompleted,
             .appealCompletedLocally, .whistleClosed, .appealResolved, .appealCallback, .appealReopened, .appealDismissed:
            return true
        default:
            return false
        }
    }
}
