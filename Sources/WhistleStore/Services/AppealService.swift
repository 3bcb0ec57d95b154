import FluentKit
import SQLKit
import Foundation
import WhistleCore

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

extension Services {
    /// Takes in an appeal. `actor` is nil for a citizen submitting online.
    public func receiveAppeal(_ input: NewAppeal, by actor: Actor?) async throws -> AppealModel {
        let name = try Validate.required(input.appellantName, field: "appellantName", max: 50)
        let phone = try Validate.phone(input.appellantPhone, field: "appellantPhone")
        let address = try Validate.required(input.address, field: "address", max: 200)
        let description = try Validate.required(input.description, field: "description", max: 4000)
        try Validate.coordinates(lat: input.lat, lon: input.lon)
        if let actor { try Policy.require(actor, .takeAppeal) }
        if actor == nil && input.channel != .citizenOnline {
            throw WhistleError.invalid("channel", "online submissions use citizenOnline")
        }
        let photos = input.photos ?? []
        return try await write { s in
            let grid = try await input.gridID.asyncMap { try await s.unit($0, field: "gridId") }
            if let grid, grid.kind != .grid { throw WhistleError.invalid("gridId", "\(grid.code) is not a grid") }
            let street = try await s.receivingStreet(actor: actor, streetID: input.streetID, grid: grid)
            if let grid, !street.contains(path: grid.path) {
                throw WhistleError.invalid("gridId", "grid \(grid.code) is not in \(street.name)")
            }
            let item = try await input.itemID.asyncMap { try await s.item($0) }
            try await s.checkPhotos(photos)
            let urgency = input.urgency ?? .normal
            let appeal = AppealModel()
            appeal.id = UUID()
            appeal.number = try await s.nextNumber(prefix: "A", table: AppealModel.self)
            appeal.trackingCode = TrackingCode.make()
            appeal.districtID = s.districtID(of: street)
            appeal.receivingUnitID = street.id
            appeal.channel = input.channel.rawValue
            appeal.appellantName = name
            appeal.appellantPhone = phone
            appeal.gridID = grid?.id
            appeal.address = address
            appeal.lat = input.lat
            appeal.lon = input.lon
            appeal.description = description
            appeal.itemID = item?.id
            appeal.urgency = urgency.rawValue
            appeal.state = AppealState.received.rawValue
            appeal.dueAt = DeadlinePolicy.appealDue(urgency: urgency, item: item, from: s.now,
                                                    calendar: try await s.workCalendar(district: appeal.districtID),
                                                    policy: try await s.limitPolicy(district: appeal.districtID))
            appeal.reopenCount = 0
            appeal.photos = photos.joined(separator: ",")
            appeal.createdAt = s.now
            appeal.createdBy = actor?.personID
            try await appeal.create(on: s.db)
            try await s.addParty(subject: appeal.id!, unit: street)
            try await s.record(EventDraft(.appealReceived, districtID: appeal.districtID, appealID: appeal.id,
                                          to: AppealState.received.rawValue,
                                          detail: ["channel": input.channel.rawValue, "number": appeal.number]),
                               by: actor.map(EventActor.init) ?? .citizen)
            return appeal
        }
    }

    func receivingStreet(actor: Actor?, streetID: UUID?, grid: OrgUnit?) async throws -> OrgUnit {
        if let streetID {
            let street = try await unit(streetID, field: "streetId")
            guard street.kind.isStreetLevel else { throw WhistleError.invalid("streetId", "\(street.code) is not a street or town") }
            if let actor, !actor.covers(street.path), try await self.street(of: actor.unit)?.id != street.id {
                throw WhistleError.forbidden("take_appeal")
            }
            return street
        }
        if let actor, let street = try await street(of: actor.unit) { return street }
        if let grid, let street = try await street(of: grid) { return street }
        throw WhistleError.missing(actor == nil ? "gridId" : "streetId")
    }

    /// Next human-readable number for the year, e.g. A2026-000123, drawn from the `counters`
    /// row of its prefix and year (created from the table's highest number the first time).
    /// The row is updated in the caller's transaction, which locks it until the commit: two
    /// writers, even on different nodes, never draw the same number, and a rolled-back write
    /// gives its number back.
    func nextNumber<M: Model>(prefix: String, table: M.Type) async throws -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = self.calendar.timeZone
        let year = calendar.component(.year, from: now)
        let stem = "\(prefix)\(year)-"
        let sql = db as! any SQLDatabase
        if let row = try await sql.raw("""
            UPDATE "counters" SET "value" = "value" + 1 WHERE "key" = \(bind: stem) RETURNING "value"
            """).first() {
            return stem + String(format: "%06d", try row.decode(column: "value", as: Int.self))
        }
        let row = try await sql.raw("""
            SELECT "number" FROM \(ident: M.schema) WHERE "number" >= \(bind: stem) AND "number" < \(bind: stem + "~")
            ORDER BY "number" DESC LIMIT 1
            """).first()
        let lastNumber = try row.map { try $0.decode(column: "number", as: String.self) }.flatMap { Int($0.dropFirst(stem.count)) } ?? 0
        // Another writer may create the row meanwhile: then this one waits for it and counts on.
        let drawn = try await sql.raw("""
            INSERT INTO "counters" ("key", "value") VALUES (\(bind: stem), \(bind: lastNumber + 1))
            ON CONFLICT ("key") DO UPDATE SET "value" = "counters"."value" + 1 RETURNING "value"
            """).first()
        return stem + String(format: "%06d", try drawn?.decode(column: "value", as: Int.self) ?? lastNumber + 1)
    }

    public func appeal(_ id: UUID?, field: String? = nil) async throws -> AppealModel {
        try await find(AppealModel.self, id, entity: "appeal", field: field)
    }

    public func appeal(trackingCode: String) async throws -> AppealModel {
        guard let appeal = try await AppealModel.query(on: db).filter(\.$trackingCode == trackingCode.uppercased()).first() else {
            throw WhistleError("appeal.tracking_not_found", .notFound, params: ["id": trackingCode])
        }
        return appeal
    }

    /// Hands the appeal to one of the street's own sections, communities or grids.
    public func handleLocally(_ appealID: UUID, handlingUnitID: UUID?, note: String?, by actor: Actor) async throws -> AppealModel {
        let note = try Validate.text(note, field: "note", max: 2000, required: false)
        return try await write { s in
            let appeal = try await s.appeal(appealID)
            try Policy.require(actor, .triage(receivingUnitID: appeal.receivingUnitID))
            let street = try await s.unit(appeal.receivingUnitID)
            guard let handlingUnitID else { throw WhistleError.missing("handlingUnitId") }
            let handler = try await s.unit(handlingUnitID, field: "handlingUnitId")
            guard street.contains(path: handler.path), handler.id != street.id,
                  [.section, .community, .village, .grid].contains(handler.kind) else {
                throw WhistleError.invalid("handlingUnitId", "\(handler.name) is not a section, community or grid of \(street.name)")
            }
            let from = appeal.stateValue
            appeal.state = try from.after(.handleLocally).rawValue
            appeal.handlingUnitID = handler.id
            try await appeal.update(on: s.db)
            try await s.addParty(subject: appeal.id!, unit: handler)
            try await s.record(EventDraft(.appealHandledLocally, districtID: appeal.districtID, appealID: appeal.id,
                                          from: from.rawValue, to: appeal.state,
                                          detail: ["handlingUnit": handler.name, "note": note ?? ""]), by: EventActor(actor))
            return appeal
        }
    }

    public func completeLocally(_ appealID: UUID, result: String?, photos: [String]?, by actor: Actor) async throws -> AppealModel {
        let result = try Validate.required(result, field: "result", max: 4000)
        return try await write { s in
            let appeal = try await s.appeal(appealID)
            try Policy.require(actor, .completeLocally(receivingUnitID: appeal.receivingUnitID, handlingUnitID: appeal.handlingUnitID))
            try await s.checkPhotos(photos ?? [])
            let from = appeal.stateValue
            appeal.state = try from.after(.completeLocally).rawValue
            appeal.result = result
            appeal.resolvedAt = s.now
            try await appeal.update(on: s.db)
            try await s.syncAppealClocks(appeal)
            try await s.record(EventDraft(.appealCompletedLocally, districtID: appeal.districtID, appealID: appeal.id,
                                          from: from.rawValue, to: appeal.state,
                                          detail: ["result": result, "photos": (photos ?? []).joined(separator: ",")]),
                               by: EventActor(actor))
            return appeal
        }
    }

    public func dismiss(_ appealID: UUID, reason: String?, by actor: Actor) async throws -> AppealModel {
        let reason = try Validate.required(reason, field: "reason", max: 2000)
        return try await write { s in
            let appeal = try await s.appeal(appealID)
            try Policy.require(actor, .triage(receivingUnitID: appeal.receivingUnitID))
            let from = appeal.stateValue
            appeal.state = try from.after(.dismiss).rawValue
            appeal.result = reason
            appeal.closedAt = s.now
            try await appeal.update(on: s.db)
            try await s.record(EventDraft(.appealDismissed, districtID: appeal.districtID, appealID: appeal.id,
                                          from: from.rawValue, to: appeal.state, detail: ["reason": reason]),
                               by: EventActor(actor))
            return appeal
        }
    }

    /// The callback: by the receiving street's operator, or by the appellant online
    /// (actor nil, found by tracking code). Dissatisfied with `reopen` sends it back to triage.
    public func callback(_ appealID: UUID, satisfaction: Satisfaction?, comment: String?, reopen: Bool,
                         by actor: Actor?) async throws -> AppealModel {
        guard let satisfaction else { throw WhistleError.missing("satisfaction") }
        let comment = try Validate.text(comment, field: "comment", max: 2000, required: false)
        if reopen && satisfaction != .dissatisfied {
            throw WhistleError("callback.reopen_needs_dissatisfied", .invalid, field: "reopen")
        }
        return try await write { s in
            let appeal = try await s.appeal(appealID)
            if let actor { try Policy.require(actor, .callback(receivingUnitID: appeal.receivingUnitID)) }
            let from = appeal.stateValue
            let eventActor = actor.map(EventActor.init) ?? .citizen
            appeal.satisfaction = satisfaction.rawValue
            if reopen {
                appeal.state = try from.after(.reopen).rawValue
                appeal.reopenCount += 1
                appeal.handlingUnitID = nil
                appeal.resolvedAt = nil
                let urgency = Urgency(rawValue: appeal.urgency) ?? .normal
                let item = try await appeal.itemID.asyncMap { try await s.item($0) }
                appeal.dueAt = DeadlinePolicy.appealDue(urgency: urgency, item: item, from: s.now,
                                                        calendar: try await s.workCalendar(district: appeal.districtID),
                                                        policy: try await s.limitPolicy(district: appeal.districtID))
            } else {
                appeal.state = try from.after(.callback).rawValue
                appeal.closedAt = s.now
            }
            try await appeal.update(on: s.db)
            try await s.syncAppealClocks(appeal)
            try await s.record(EventDraft(.appealCallback, districtID: appeal.districtID, appealID: appeal.id,
                                          from: from.rawValue, to: reopen ? nil : appeal.state,
                                          detail: ["satisfaction": satisfaction.rawValue, "comment": comment ?? "",
                                                   "by": actor == nil ? "appellant" : "operator"]), by: eventActor)
            if reopen {
                try await s.record(EventDraft(.appealReopened, districtID: appeal.districtID, appealID: appeal.id,
                                              from: from.rawValue, to: appeal.state), by: eventActor)
            }
            return appeal
        }
    }

    /// Appeals that may be the same matter: same item, same street, in the last 7 days, still
    /// open (`AppealState.isOpen`), within 300 m (or the same grid when either has no
    /// coordinates), and visible to the reader: a hint never shows a case its reader may not open.
    public func possibleDuplicates(of appeal: AppealModel, for actor: Actor) async throws -> [AppealModel] {
        guard let itemID = appeal.itemID else { return [] }
        // Only the columns the test needs; the few matches are loaded whole afterwards.
        let sql = db as! any SQLDatabase
        let open = AppealState.openStates.map(\.rawValue)
        let rows = try await sql.raw("""
            SELECT "id", "lat", "lon", "grid_id" FROM "appeals"
            WHERE "item_id" = \(bind: itemID) AND "receiving_unit_id" = \(bind: appeal.receivingUnitID)
              AND "id" <> \(bind: appeal.id!) AND "created_at" >= \(bind: appeal.createdAt.addingTimeInterval(-7 * 86_400))
              AND "created_at" <= \(bind: appeal.createdAt) AND "state" IN (\(binds: open))
            ORDER BY "created_at" DESC LIMIT 50
            """).all()
        var matches: [UUID] = []
        for row in rows where matches.count < 5 {
            let id = try row.decode(column: "id", as: UUID.self)
            let lat = try row.decode(column: "lat", as: Double?.self), lon = try row.decode(column: "lon", as: Double?.self)
            let grid = try row.decode(column: "grid_id", as: UUID?.self)
            let near: Bool
            if let a = appeal.lat, let b = appeal.lon, let c = lat, let d = lon {
                near = distanceMetres(a, b, c, d) <= 300
            } else {
                near = appeal.gridID != nil && appeal.gridID == grid
            }
            if near { matches.append(id) }
        }
        guard !matches.isEmpty else { return [] }
        let query = AppealModel.query(on: db).filter(\.$id ~~ matches)
        visible(query, table: "appeals", for: actor, unitID: nil)
        let found = try await query.all()
        return matches.compactMap { id in found.first { $0.id == id } }
    }

    /// Logs a view of an appellant's unmasked contact details.
    public func logPersonalDataView(appealID: UUID, by actor: Actor, purpose: String) async throws {
        try await write { s in
            let entry = DataAccessModel()
            entry.appealID = appealID
            entry.personID = actor.personID
            entry.unitID = actor.unit.id
            entry.at = s.now
            entry.purpose = purpose
            try await entry.create(on: s.db)
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): try await transform(value)
        case .none: nil
        }
    }
}
