import Vapor
import WhistleCore
import WhistleStore

struct AppellantDTO: Content {
    var name: String
    var phone: String
    /// False only for the receiving street's dispatchers, whose view is logged.
    var masked: Bool
}

struct AppealDTO: Content {
    var id: UUID
    var number: String
    var trackingCode: String?
    var channel: WhistleCore.Channel
    var channelName: String
    var appellant: AppellantDTO
    var receivingUnitId: UUID
    var gridId: UUID?
    var address: String
    var lat: Double?
    var lon: Double?
    var description: String
    var itemId: UUID?
    var urgency: String
    var state: AppealState
    var stateName: String
    var handlingUnitId: UUID?
    var whistleId: UUID?
    var dueAt: Date?
    var overdue: Bool
    var result: String?
    var satisfaction: String?
    var reopenCount: Int
    var photos: [String]
    var createdAt: Date
    var resolvedAt: Date?
    var closedAt: Date?
    var possibleDuplicates: [DuplicateDTO]?
    /// The appeal's own clocks (the callback); its whistle's clocks are on the whistle.
    var clocks: [ClockDTO]?
    /// Every photo on the case, the responders' included, on the detail answer.
    var evidence: [EvidenceDTO]?
    /// The steps the caller may take on the appeal now (`AppealActions`), on the answers to
    /// the appeal's own requests (not on lists).
    var actions: [AppealAction]?

    /// `unmasked` only when policy lets the actor see the appellant's contact.
    init(_ a: AppealRecord, unmasked: Bool, now: Date, duplicates: [DuplicateRule.Candidate]? = nil, clocks: [ClockSnapshot]? = nil) {
        id = a.id.rawValue; number = a.number
        trackingCode = unmasked ? a.trackingCode : nil
        channel = a.channel; channelName = channel.nameZh
        let shown = PersonalData.appellant(of: a, unmasked: unmasked)
        appellant = AppellantDTO(name: shown.name, phone: shown.phone, masked: !unmasked)
        receivingUnitId = a.receivingUnitID; gridId = a.gridID; address = a.address; lat = a.lat; lon = a.lon
        description = a.description; itemId = a.itemID; urgency = a.urgency.rawValue
        state = a.state; stateName = state.nameZh
        handlingUnitId = a.handlingUnitID; whistleId = a.whistleID; dueAt = a.dueAt
        overdue = a.isOverdue(now: now)
        result = a.result; satisfaction = a.satisfaction; reopenCount = a.reopenCount; photos = a.photos
        createdAt = a.createdAt; resolvedAt = a.resolvedAt; closedAt = a.closedAt
        possibleDuplicates = duplicates?.map(DuplicateDTO.init)
        self.clocks = clocks?.map { ClockDTO($0, now: now) }
    }

}

struct DuplicateDTO: Content {
    var id: UUID
    var number: String
    var state: AppealState
    var address: String
    var createdAt: Date
    init(_ c: DuplicateRule.Candidate) { id = c.id.rawValue; number = c.number; state = c.state; address = c.address; createdAt = c.createdAt }
}

/// What a citizen sees with a tracking code: progress, never other people's data.
struct PublicAppealDTO: Content {
    var number: String
    var trackingCode: String
    var state: AppealState
    var stateName: String
    var createdAt: Date
    var resolvedAt: Date?
    var closedAt: Date?
    var result: String?
    var satisfaction: String?
    var canRate: Bool
    /// What the citizen submitted: the text and the place.
    var description: String
    var address: String
    var steps: [PublicStepDTO]
    /// The photos of public steps: the citizen's own, and the responders' at completion.
    var photos: [PublicPhotoDTO]
}

struct PublicStepDTO: Content {
    var at: Date
    var kind: String
    var kindName: String
    /// The unit that took the step (a department on a task, the street handling it), never a person.
    var unitName: String?
}

/// A photo a citizen may see, fetched with the tracking code.
struct PublicPhotoDTO: Content {
    var url: String
    var step: String
    var stepName: String
    var at: Date
    var unitName: String?
}

/// A photo on a case (`case_photos`): which step brought it, who and when, and where to fetch it.
struct EvidenceDTO: Content {
    var photo: String
    var url: String
    var step: EventKind
    var stepName: String
    var taskId: UUID?
    var addedBy: UUID?
    var addedAt: Date

    init(_ p: CasePhoto) {
        photo = p.photoID; url = "/api/v1/photos/\(p.photoID)"; step = p.step; stepName = p.step.nameZh
        taskId = p.taskID; addedBy = p.addedBy; addedAt = p.addedAt
    }
}
