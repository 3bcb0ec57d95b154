import Foundation

/// An appeal as submitted, before validation.
public struct NewAppeal: Sendable, Codable {
    public var channel: Channel
    public var appellantName: String?
    public var appellantPhone: String?
    public var streetID: UUID?
    public var gridID: UUID?
    public var address: String?
    public var lat: Double?
    public var lon: Double?
    public var description: String?
    public var itemID: UUID?
    public var urgency: Urgency?
    public var photos: [String]?

    enum CodingKeys: String, CodingKey {
        case channel, appellantName, appellantPhone, streetID = "streetId", gridID = "gridId", address, lat, lon
        case description, itemID = "itemId", urgency, photos
    }

    public init(channel: Channel, appellantName: String?, appellantPhone: String?, streetID: UUID? = nil, gridID: UUID? = nil,
                address: String?, lat: Double? = nil, lon: Double? = nil, description: String?, itemID: UUID? = nil,
                urgency: Urgency? = nil, photos: [String]? = nil) {
        self.channel = channel; self.appellantName = appellantName; self.appellantPhone = appellantPhone
        self.streetID = streetID; self.gridID = gridID; self.address = address; self.lat = lat; self.lon = lon
        self.description = description; self.itemID = itemID; self.urgency = urgency; self.photos = photos
    }
}

/// An appeal as it is stored: every column, typed.
public struct AppealRecord: Sendable, Equatable {
    public var id: AppealID
    public var number: String
    public var trackingCode: String
    public var districtID: UUID
    public var receivingUnitID: UUID
    public var channel: Channel
    public var appellantName: String
    public var appellantPhone: String
    public var gridID: UUID?
    public var address: String
    public var lat: Double?
    public var lon: Double?
    public var description: String
    public var itemID: UUID?
    public var urgency: Urgency
    public var state: AppealState
    public var handlingUnitID: UUID?
    public var whistleID: UUID?
    public var dueAt: Date?
    public var result: String?
    public var satisfaction: String?
    public var reopenCount: Int
    public var photos: [String]
    public var createdAt: Date
    public var createdBy: UUID?
    public var resolvedAt: Date?
    public var closedAt: Date?

    public init(id: AppealID, number: String, trackingCode: String, districtID: UUID, receivingUnitID: UUID,
                channel: Channel, appellantName: String, appellantPhone: String, gridID: UUID?, address: String,
                lat: Double?, lon: Double?, description: String, itemID: UUID?, urgency: Urgency, state: AppealState,
                handlingUnitID: UUID? = nil, whistleID: UUID? = nil, dueAt: Date?, result: String? = nil,
                satisfaction: String? = nil, reopenCount: Int = 0, photos: [String], createdAt: Date, createdBy: UUID?,
                resolvedAt: Date? = nil, closedAt: Date? = nil) {
        self.id = id; self.number = number; self.trackingCode = trackingCode; self.districtID = districtID
        self.receivingUnitID = receivingUnitID; self.channel = channel; self.appellantName = appellantName
        self.appellantPhone = appellantPhone; self.gridID = gridID; self.address = address; self.lat = lat
        self.lon = lon; self.description = description; self.itemID = itemID; self.urgency = urgency
        self.state = state; self.handlingUnitID = handlingUnitID; self.whistleID = whistleID; self.dueAt = dueAt
        self.result = result; self.satisfaction = satisfaction; self.reopenCount = reopenCount; self.photos = photos
        self.createdAt = createdAt; self.createdBy = createdBy; self.resolvedAt = resolvedAt; self.closedAt = closedAt
    }
}

/// Taking in an appeal, decided: from the input, who submits it (nil: a citizen online),
/// the units it names with their ancestors, its catalogue item and the district's calendar
/// and limits. Returns the appeal to store (its number is drawn by the store, in the
/// transaction), the receiving street as its first party and the `appeal.received` event.
public enum AppealIntake {
    /// What a decision needs besides the input, as loaded for it.
    public struct Facts: Sendable {
        public var org: OrgDirectory
        public var item: CatalogueItem?
        public var calendar: WorkCalendar
        public var policy: LimitPolicy
        public init(org: OrgDirectory, item: CatalogueItem?, calendar: WorkCalendar, policy: LimitPolicy) {
            self.org = org; self.item = item; self.calendar = calendar; self.policy = policy
        }
    }

    public struct Decision: Sendable {
        public var appeal: AppealRecord
        public var party: CaseParty
        public var event: EventRecord
        /// An appeal received as an emergency tells the receiving street's leaders at once.
        public var notices: [Notice] = []

        /// The decision with the number the store drew in its transaction.
        public func numbered(_ number: String) -> Decision {
            var copy = self
            copy.appeal.number = number
            copy.event.detail["number"] = number
            return copy
        }
    }

    /// Checks everything that needs no database: fields, coordinates, the actor's right to
    /// take appeals, the channel. Run before anything is loaded.
    public static func validate(_ input: NewAppeal, by actor: Actor?) throws {
        _ = try Validate.required(input.appellantName, field: "appellantName", max: 50)
        _ = try Validate.phone(input.appellantPhone, field: "appellantPhone")
        _ = try Validate.required(input.address, field: "address", max: 200)
        _ = try Validate.required(input.description, field: "description", max: 4000)
        try Validate.coordinates(lat: input.lat, lon: input.lon)
        if let actor { try Policy.require(actor, .takeAppeal) }
        if actor == nil && input.channel != .citizenOnline {
            throw WhistleError.invalid("channel", "online submissions use citizenOnline")
        }
        if let photos = input.photos, photos.count > 9 { throw WhistleError.invalid("photos", "at most 9 photos", zh: "最多 9 张照片") }
    }

    public static func decide(_ input: NewAppeal, by actor: Actor?, facts: Facts, now: Date, draws: Draws) throws -> Decision {
        try validate(input, by: actor)
        let name = try Validate.required(input.appellantName, field: "appellantName", max: 50)
        let phone = try Validate.phone(input.appellantPhone, field: "appellantPhone")
        let address = try Validate.required(input.address, field: "address", max: 200)
        let description = try Validate.required(input.description, field: "description", max: 4000)
        let grid = try input.gridID.map { try facts.org.require($0, field: "gridId") }
        if let grid, grid.kind != .grid { throw WhistleError.invalid("gridId", "\(grid.code) is not a grid") }
        let street = try receivingStreet(actor: actor, streetID: input.streetID, grid: grid, org: facts.org)
        if let grid, !street.contains(path: grid.path) {
            throw WhistleError.invalid("gridId", "grid \(grid.code) is not in \(street.name)")
        }
        if let itemID = input.itemID, facts.item?.id != itemID {
            throw WhistleError.notFound("item", itemID.uuidString, field: "itemId")
        }
        let urgency = input.urgency ?? .normal
        let districtID = OrgDirectory.districtID(of: street)
        let id = AppealID(draws.uuid())
        let appeal = AppealRecord(
            id: id, number: "", trackingCode: draws.trackingCode(), districtID: districtID, receivingUnitID: street.id,
            channel: input.channel, appellantName: name, appellantPhone: phone, gridID: grid?.id, address: address,
            lat: input.lat, lon: input.lon, description: description, itemID: facts.item?.id, urgency: urgency,
            state: .received,
            dueAt: DeadlinePolicy.appealDue(urgency: urgency, item: facts.item, from: now, calendar: facts.calendar, policy: facts.policy),
            photos: input.photos ?? [], createdAt: now, createdBy: actor?.personID)
        let event = EventRecord(.appealReceived, districtID: districtID, appealID: id,
                                actor: actor.map(EventActor.init) ?? .citizen, at: now, to: AppealState.received.rawValue,
                                detail: ["channel": input.channel.rawValue])
        var decision = Decision(appeal: appeal, party: CaseParty(subjectID: id.rawValue, unit: street), event: event)
        if appeal.urgency == .emergency {
            decision.notices = [.emergency(street: street.id, districtID: districtID, kind: .appealReceived, title: "紧急诉求",
                                           body: "\(street.name)收到紧急诉求：\(String(appeal.description.prefix(60)))（\(appeal.address)）",
                                           appealID: id, at: now)]
        }
        return decision
    }

    /// Which street receives an appeal: the one named (a dispatcher may name only their own,
    /// or one below them), else the submitter's own street, else the grid's.
    public static func receivingStreet(actor: Actor?, streetID: UUID?, grid: OrgUnit?, org: OrgDirectory) throws -> OrgUnit {
        if let streetID {
            let street = try org.require(streetID, field: "streetId")
            guard street.kind.isStreetLevel else { throw WhistleError.invalid("streetId", "\(street.code) is not a street or town") }
            if let actor, !actor.covers(street.path), org.street(of: actor.unit)?.id != street.id {
                throw WhistleError.forbidden("take_appeal")
            }
            return street
        }
        if let actor, let street = org.street(of: actor.unit) { return street }
        if let grid, let street = org.street(of: grid) { return street }
        throw WhistleError.missing(actor == nil ? "gridId" : "streetId")
    }

    /// The units an intake needs loaded: the ones it names, the submitter's, and their ancestors.
    public static func unitIDs(_ input: NewAppeal, by actor: Actor?) -> Set<UUID> {
        var ids = Set([input.streetID, input.gridID].compactMap { $0 })
        if let actor { ids.formUnion(actor.unit.ancestorIDs); ids.insert(actor.unit.id)
            if let stationed = actor.unit.stationedInID { ids.insert(stationed) } }
        return ids
    }
}
