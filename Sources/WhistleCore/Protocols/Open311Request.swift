import Foundation

extension Open311 {
    /// What is known of an appeal beside its row, to say it to the public: the item, who has it.
    public struct RequestFacts: Sendable {
        public var appeal: AppealRecord
        public var item: CatalogueItem?
        /// The receiving street's name.
        public var streetName: String
        /// The street's own unit handling it (街道自办), when one does.
        public var handlerName: String?
        /// The leading department of the whistle blown on it, when one was.
        public var leadName: String?
        /// The last time anything happened to it.
        public var updatedAt: Date

        public init(appeal: AppealRecord, item: CatalogueItem?, streetName: String, handlerName: String?, leadName: String?,
                    updatedAt: Date) {
            self.appeal = appeal; self.item = item; self.streetName = streetName; self.handlerName = handlerName
            self.leadName = leadName; self.updatedAt = updatedAt
        }
    }

    /// A service request as the public sees it. It has no field for the appellant's name,
    /// phone or tracking code: they cannot leak through it.
    public struct ServiceRequest: Sendable, Equatable {
        public var id: String
        public var status: Status
        public var statusNotes: String
        public var serviceName: String?
        public var serviceCode: String?
        public var description: String
        public var agencyResponsible: String
        public var serviceNotice: String?
        public var requestedAt: Date
        public var updatedAt: Date
        public var expectedAt: Date?
        public var address: String
        public var lat: Double?
        public var lon: Double?
    }

    public static func request(_ f: RequestFacts, language: Language = .zh) -> ServiceRequest {
        let a = f.appeal
        return ServiceRequest(id: a.number, status: status(a.state), statusNotes: statusNotes(f, language: language),
                              serviceName: f.item?.name, serviceCode: f.item?.code, description: a.description,
                              agencyResponsible: agencyResponsible(f), serviceNotice: nil, requestedAt: a.createdAt,
                              updatedAt: max(f.updatedAt, a.createdAt), expectedAt: a.state.isOpen ? a.dueAt : nil,
                              address: a.address, lat: a.lat, lon: a.lon)
    }

    /// Who has it, as a citizen would name them: the leading department once a whistle is
    /// blown, the street's own unit handling it, else the receiving street.
    public static func agencyResponsible(_ f: RequestFacts) -> String {
        switch f.appeal.state {
        case .whistled: f.leadName ?? f.streetName
        case .handling: f.handlerName ?? f.streetName
        case .resolved, .closed: f.leadName ?? f.handlerName ?? f.streetName
        case .received, .dismissed: f.streetName
        }
    }

    /// Where it stands, in plain words.
    public static func statusNotes(_ f: RequestFacts, language: Language = .zh) -> String {
        let a = f.appeal
        let agency = agencyResponsible(f)
        let result = a.result?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmptyText
        switch (a.state, language) {
        case (.received, .zh): return "\(f.streetName)已受理，正在安排办理"
        case (.received, .en): return "Received by \(f.streetName); being assigned"
        case (.handling, .zh): return "\(agency)正在办理"
        case (.handling, .en): return "\(agency) is handling it"
        case (.whistled, .zh): return "\(f.streetName)已吹哨，\(agency)等部门到场处置中"
        case (.whistled, .en): return "\(f.streetName) has summoned \(agency) and other departments, who are on it"
        case (.resolved, .zh): return "已办结" + (result.map { "：\($0)" } ?? "") + "；等待回访"
        case (.resolved, .en): return "Done" + (result.map { ": \($0)" } ?? "") + "; awaiting the resident's feedback"
        case (.closed, .zh): return "已办结" + (result.map { "：\($0)" } ?? "")
        case (.closed, .en): return "Closed" + (result.map { ": \($0)" } ?? "")
        case (.dismissed, .zh): return "不予受理" + (result.map { "：\($0)" } ?? "")
        case (.dismissed, .en): return "Not accepted" + (result.map { ": \($0)" } ?? "")
        }
    }

    /// The answer to a new request: its id at once (no token is needed to wait for one).
    public static func notice(street: String, language: Language = .zh) -> String {
        language == .zh ? "已转\(street)受理" : "Sent to \(street)"
    }

    // MARK: Queries

    /// At most this many requests in one answer.
    public static let maxResults = 1000
    /// The span a search covers when no dates are given, and the most it may cover.
    public static let maxSpan: TimeInterval = 90 * 86400

    /// A `GET requests` search: by ids (which overrides the rest), or by service codes,
    /// statuses and a time range of at most 90 days (the last 90 days by default).
    public struct Query: Sendable, Equatable {
        public var ids: [String]
        public var serviceCodes: [String]
        public var states: [AppealState]
        public var start: Date
        public var end: Date
    }

    public static func query(ids: String?, serviceCodes: String?, status: String?, start: Date?, end: Date?, now: Date) throws -> Query {
        func list(_ text: String?) -> [String] {
            (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let ids = list(ids)
        guard ids.count <= maxResults else { throw WhistleError.invalid("service_request_id", "at most \(maxResults) ids", zh: "最多 \(maxResults) 个编号") }
        var statuses = Set<Status>()
        for raw in list(status) {
            guard let s = Status(rawValue: raw.lowercased()) else {
                throw WhistleError("input.invalid_choice", .invalid, field: "status", params: ["value": String(raw.prefix(60)), "choices": "open, closed"])
            }
            statuses.insert(s)
        }
        if statuses.isEmpty { statuses = Set(Status.allCases) }
        let end = end ?? (start.map { min(now, $0.addingTimeInterval(maxSpan)) } ?? now)
        let start = start ?? end.addingTimeInterval(-maxSpan)
        if ids.isEmpty {
            guard start <= end else { throw WhistleError.invalid("start_date", "after end_date", zh: "晚于 end_date") }
            guard end.timeIntervalSince(start) <= maxSpan else {
                throw WhistleError.invalid("end_date", "the range may span at most 90 days", zh: "时间范围不能超过 90 天")
            }
        }
        return Query(ids: ids, serviceCodes: list(serviceCodes), states: states(statuses), start: start, end: end)
    }

    /// An Open311 date (W3C: "2026-03-02T09:00:00+08:00", "…Z", or a day "2026-03-02" taken
    /// in `timeZone`), or an error naming the parameter.
    public static func date(_ raw: String?, field: String, timeZone: TimeZone) throws -> Date? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        if let full = try? Date(raw, strategy: .iso8601) { return full }
        if let day = DayKey(parsing: raw) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            if let date = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) { return date }
        }
        throw WhistleError.invalid(field, "'\(raw.prefix(40))' is not a date like 2026-03-02T09:00:00+08:00",
                                   zh: "“\(raw.prefix(40))”不是形如 2026-03-02T09:00:00+08:00 的时间")
    }

    /// A time as Open311 writes it: ISO 8601 with the offset of `timeZone`.
    public static func datetime(_ date: Date, timeZone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = timeZone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

extension String {
    fileprivate var nonEmptyText: String? { isEmpty ? nil : self }
}
