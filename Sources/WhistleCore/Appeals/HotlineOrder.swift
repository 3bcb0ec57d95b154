import Foundation

/// A work order of the city's 12345 hotline platform as it arrives — pushed live or replayed
/// from the old system's export (one JSON object per line) — with its own classification,
/// time limit, appellant and, for a historical order, the steps it went through.
public struct HotlineOrder: Codable, Sendable, Equatable {
    /// The platform's order number: what makes a retried push or a replayed line the same order.
    public var orderNo: String
    public var receivedAt: Date
    /// The hotline's own classification code (mapped to the catalogue by `HotlineCategory` rows).
    public var category: String
    /// The receiving street's unit code.
    public var street: String
    public var address: String
    public var description: String
    public var appellantName: String
    public var appellantPhone: String
    public var urgency: Urgency?
    /// The hotline's own time limit in hours (else the catalogue's and the district's policy).
    public var limitHours: Double?
    /// Historical steps: taken up by the street, resolved with a result, called back with a
    /// satisfaction, or returned as not the street's (退单).
    public var handledAt: Date?
    public var resolvedAt: Date?
    public var result: String?
    public var callbackAt: Date?
    public var satisfaction: Satisfaction?
    public var returnedAt: Date?
    public var returnReason: String?

    public init(orderNo: String, receivedAt: Date, category: String, street: String, address: String, description: String,
                appellantName: String, appellantPhone: String, urgency: Urgency? = nil, limitHours: Double? = nil,
                handledAt: Date? = nil, resolvedAt: Date? = nil, result: String? = nil, callbackAt: Date? = nil,
                satisfaction: Satisfaction? = nil, returnedAt: Date? = nil, returnReason: String? = nil) {
        self.orderNo = orderNo; self.receivedAt = receivedAt; self.category = category; self.street = street
        self.address = address; self.description = description; self.appellantName = appellantName
        self.appellantPhone = appellantPhone; self.urgency = urgency; self.limitHours = limitHours; self.handledAt = handledAt
        self.resolvedAt = resolvedAt; self.result = result; self.callbackAt = callbackAt; self.satisfaction = satisfaction
        self.returnedAt = returnedAt; self.returnReason = returnReason
    }
}

/// How a hotline classification maps onto Whistle: a catalogue item and an urgency. Data an
/// admin edits, per platform.
public struct HotlineCategory: Codable, Sendable, Equatable {
    public var category: String
    public var itemCode: String?
    public var urgency: Urgency?
    public init(category: String, itemCode: String?, urgency: Urgency?) { self.category = category; self.itemCode = itemCode; self.urgency = urgency }
}

/// An order turned into an appeal with its timeline, decided: the same rules as a call taken
/// at the console (`AppealIntake` validation), the state its steps reached, one event per step.
public enum HotlineReplay {
    public struct Facts: Sendable {
        public var streets: [String: OrgUnit]
        public var categories: [String: HotlineCategory]
        public var items: [String: CatalogueItem]
        public var calendar: WorkCalendar
        public var policy: LimitPolicy
        public init(streets: [String: OrgUnit], categories: [String: HotlineCategory], items: [String: CatalogueItem],
                    calendar: WorkCalendar, policy: LimitPolicy) {
            self.streets = streets; self.categories = categories; self.items = items; self.calendar = calendar; self.policy = policy
        }
    }

    public struct Decision: Sendable {
        public var appeal: AppealRecord
        public var party: CaseParty
        public var events: [EventRecord]
        /// The classification had no mapping: the appeal carries no catalogue item.
        public var unmapped: Bool
        public var digest: String

        /// The same decision under another appeal number (decided before the batch's numbers
        /// were drawn in its transaction): the appeal's and its reception event's.
        public func numbered(_ number: String) -> Decision {
            var copy = self
            copy.appeal.number = number
            if !copy.events.isEmpty, copy.events[0].detail["number"] != nil { copy.events[0].detail["number"] = number }
            return copy
        }
    }

    public static func decide(_ order: HotlineOrder, facts: Facts, id: AppealID, number: String, trackingCode: String) throws -> Decision {
        var dueDates = AppealDueDates(calendar: facts.calendar, policy: facts.policy)
        return try decide(order, facts: facts, id: id, number: number, trackingCode: trackingCode, dueDates: &dueDates)
    }

    /// The same, with the appeal's due date from `dueDates` (made for `facts`' calendar and
    /// policy), kept across a batch so the working-day arithmetic is done once per day.
    public static func decide(_ order: HotlineOrder, facts: Facts, id: AppealID, number: String, trackingCode: String,
                              dueDates: inout AppealDueDates) throws -> Decision {
        let no = try Validate.required(order.orderNo, field: "orderNo", max: 64)
        func refuse(_ field: String, _ en: String, _ zh: String) -> WhistleError {
            WhistleError("hotline.order_invalid", .invalid, field: field, params: ["order": no, "reason": en, "reasonZh": zh])
        }
        // The fields a call taken at the console must have, with the same limits.
        do {
            _ = try Validate.required(order.appellantName, field: "appellantName", max: 50)
            _ = try Validate.phone(order.appellantPhone, field: "appellantPhone")
            _ = try Validate.required(order.address, field: "address", max: 200)
            _ = try Validate.required(order.description, field: "description", max: 4000)
            _ = try Validate.required(order.category, field: "category", max: 64)
        } catch let error as WhistleError {
            throw refuse(error.field ?? "order", error.problem(.en), error.problem(.zh))
        }
        guard let street = facts.streets[order.street], street.kind.isStreetLevel else {
            throw refuse("street", "no street or town with code \(order.street)", "没有编码为 \(order.street) 的街道（乡镇）")
        }
        // Steps in the order they happened; none before the order came in.
        let steps = [order.handledAt, order.resolvedAt, order.callbackAt, order.returnedAt].compactMap { $0 }
        if steps.contains(where: { $0 < order.receivedAt }) || (order.resolvedAt.map { r in order.handledAt.map { $0 > r } ?? false } ?? false)
            || (order.callbackAt.map { c in order.resolvedAt.map { $0 > c } ?? true } ?? false) {
            throw refuse("receivedAt", "steps must not go back in time", "各环节时间先后有误")
        }
        if order.returnedAt != nil && (order.resolvedAt != nil || order.handledAt != nil) {
            throw refuse("returnedAt", "a returned order was not also handled", "退单的工单不应再有办理环节")
        }
        let mapping = facts.categories[order.category]
        let item = mapping?.itemCode.flatMap { facts.items[$0] }
        let urgency = order.urgency ?? mapping?.urgency ?? .normal
        let districtID = OrgDirectory.districtID(of: street)
        let due = order.limitHours.map { order.receivedAt.addingTimeInterval($0 * 3600) }
            ?? dueDates.due(urgency: urgency, item: item, from: order.receivedAt)
        let platform = EventActor(personID: nil, name: "12345", unitID: nil)
        var appeal = AppealRecord(id: id, number: number, trackingCode: trackingCode, districtID: districtID, receivingUnitID: street.id,
                                  channel: .hotline12345, appellantName: order.appellantName.trimmedOfWhitespace,
                                  appellantPhone: order.appellantPhone.trimmedOfWhitespace,
                                  gridID: nil, address: order.address.trimmedOfWhitespaceAndNewlines, lat: nil, lon: nil,
                                  description: order.description.trimmedOfWhitespaceAndNewlines,
                                  itemID: item?.id, urgency: urgency, state: .received, dueAt: due, photos: [],
                                  createdAt: order.receivedAt, createdBy: nil)
        var events = [EventRecord(.appealReceived, districtID: districtID, appealID: id, actor: platform, at: order.receivedAt,
                                  to: AppealState.received.rawValue, detail: ["channel": Channel.hotline12345.rawValue, "number": number,
                                                                              "orderNo": no])]
        let streetActor = EventActor(personID: nil, name: street.name, unitID: street.id)
        func step(_ kind: EventKind, _ to: AppealState, at: Date, _ detail: [String: String] = [:], by actor: EventActor) {
            events.append(EventRecord(kind, districtID: districtID, appealID: id, actor: actor, at: at, from: appeal.state.rawValue,
                                      to: to.rawValue, detail: detail))
            appeal.state = to
        }
        if let returned = order.returnedAt {
            step(.appealDismissed, .dismissed, at: returned, ["reason": order.returnReason ?? "退回热线平台"], by: streetActor)
            appeal.result = order.returnReason ?? "退回热线平台"
        }
        if order.handledAt != nil || order.resolvedAt != nil {
            step(.appealHandledLocally, .handling, at: order.handledAt ?? order.receivedAt, by: streetActor)
            appeal.handlingUnitID = street.id
        }
        if let resolved = order.resolvedAt {
            step(.appealCompletedLocally, .resolved, at: resolved, ["result": order.result ?? ""], by: streetActor)
            appeal.resolvedAt = resolved
            appeal.result = order.result
        }
        if let callback = order.callbackAt {
            let satisfaction = order.satisfaction ?? .satisfied
            step(.appealCallback, .closed, at: callback, ["satisfaction": satisfaction.rawValue], by: platform)
            appeal.satisfaction = satisfaction.rawValue
            appeal.closedAt = callback
        }
        return Decision(appeal: appeal, party: CaseParty(subjectID: id.rawValue, unit: street), events: events, unmapped: mapping == nil,
                        digest: digest(order))
    }
}
