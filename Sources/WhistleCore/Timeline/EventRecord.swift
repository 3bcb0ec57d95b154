import Foundation

/// Who an event is attributed to: a signed-in actor, or a citizen/system with a name.
public struct EventActor: Sendable, Equatable {
    public var personID: UUID?
    public var name: String
    public var unitID: UUID?

    public init(personID: UUID?, name: String, unitID: UUID?) { self.personID = personID; self.name = name; self.unitID = unitID }
    public init(_ actor: Actor) { self.init(personID: actor.personID, name: actor.personName, unitID: actor.unit.id) }
    public static let citizen = EventActor(personID: nil, name: "citizen", unitID: nil)
    public static let system = EventActor(personID: nil, name: "system", unitID: nil)
}

/// One timeline event as a decision returns it, complete: the store appends it as it is.
public struct EventRecord: Sendable, Equatable {
    public var kind: EventKind
    public var districtID: UUID
    public var appealID: AppealID?
    public var whistleID: WhistleID?
    public var taskID: TaskID?
    public var actor: EventActor
    public var at: Date
    public var from: String?
    public var to: String?
    public var lat: Double?
    public var lon: Double?
    public var detail: [String: String]

    public init(_ kind: EventKind, districtID: UUID, appealID: AppealID? = nil, whistleID: WhistleID? = nil,
                taskID: TaskID? = nil, actor: EventActor, at: Date, from: String? = nil, to: String? = nil,
                lat: Double? = nil, lon: Double? = nil, detail: [String: String] = [:]) {
        self.kind = kind; self.districtID = districtID; self.appealID = appealID; self.whistleID = whistleID
        self.taskID = taskID; self.actor = actor; self.at = at; self.from = from; self.to = to
        self.lat = lat; self.lon = lon; self.detail = detail
    }

    /// The detail as stored: JSON with sorted keys, so the same detail is the same text
    /// (`DetailJSON`: the text `JSONSerialization` wrote, without it).
    public var detailJSON: String { DetailJSON.text(detail) }
}

/// A unit becoming party to a case (an appeal, a whistle): who may see it follows these.
public struct CaseParty: Sendable, Equatable {
    public var subjectID: UUID
    public var unitID: UUID
    public var unitPath: String
    public init(subjectID: UUID, unit: OrgUnit) { self.subjectID = subjectID; unitID = unit.id; unitPath = unit.path }
}
