import Vapor
import WhistleCore
import WhistleStore

/// The citizen's side, without an account: submit, follow by tracking code, rate.
enum PublicController {
    struct Receipt: Content { var number: String; var trackingCode: String; var state: AppealState }

    static func submit(_ req: Request) async throws -> Response {
        var input = try req.body(NewAppeal.self)
        input.channel = .citizenOnline
        try await req.admitAnonymousIntake(streetID: input.streetID, phone: input.appellantPhone)
        let appeal = try await req.whistle.receiveAppeal(input, by: nil)
        return try await Receipt(number: appeal.number, trackingCode: appeal.trackingCode, state: appeal.state)
            .encodeResponse(status: .created, for: req)
    }

    static func track(_ req: Request) async throws -> PublicAppealDTO {
        let services = req.whistle
        let appeal = try await services.appeal(trackingCode: req.parameters.get("code") ?? "")
        return try await dto(appeal, services: services)
    }

    struct CallbackInput: Content { var satisfaction: Satisfaction?; var comment: String?; var reopen: Bool? }

    static func callback(_ req: Request) async throws -> PublicAppealDTO {
        let input = try req.body(CallbackInput.self)
        let services = req.whistle
        let appeal = try await services.appeal(trackingCode: req.parameters.get("code") ?? "")
        let updated = try await services.callback(appeal.id, satisfaction: input.satisfaction, comment: input.comment,
                                                  reopen: input.reopen ?? false, by: nil)
        return try await dto(updated, services: services)
    }

    static func dto(_ appeal: AppealRecord, services: Services) async throws -> PublicAppealDTO {
        let id = appeal.id.rawValue
        let units = Dictionary(try await services.allUnits().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let taskUnits = try await publicTaskUnits(appeal, units: units, services: services)
        let steps = try await services.timeline(appealID: id).compactMap { event -> PublicStepDTO? in
            guard let kind = EventKind(rawValue: event.kind), kind.isPublic else { return nil }
            let local = kind == .appealHandledLocally || kind == .appealCompletedLocally
            let unit = event.taskID.flatMap { taskUnits[$0] } ?? (local ? appeal.handlingUnitID.flatMap { units[$0] } : nil)
            return PublicStepDTO(at: event.at, kind: kind.rawValue, kindName: kind.nameZh, unitName: unit)
        }
        let photos = try await publicPhotos(appeal, services: services).map { photo in
            PublicPhotoDTO(url: "/api/v1/public/appeals/\(appeal.trackingCode)/photos/\(photo.photoID)", step: photo.step.rawValue,
                           stepName: photo.step.nameZh, at: photo.addedAt, unitName: photo.taskID.flatMap { taskUnits[$0] })
        }
        return PublicAppealDTO(number: appeal.number, trackingCode: appeal.trackingCode, state: appeal.state,
                               stateName: appeal.state.nameZh, createdAt: appeal.createdAt, resolvedAt: appeal.resolvedAt,
                               closedAt: appeal.closedAt, result: appeal.result, satisfaction: appeal.satisfaction,
                               canRate: appeal.state.allows(.callback), description: appeal.description, address: appeal.address,
                               steps: steps, photos: photos)
    }

    /// The unit of each task of the whistle blown on the appeal.
    static func publicTaskUnits(_ appeal: AppealRecord, units: [UUID: String], services: Services) async throws -> [UUID: String] {
        guard let whistleID = appeal.whistleID else { return [:] }
        return Dictionary(try await services.tasks(of: WhistleID(whistleID)).map { task in (task.id.rawValue, units[task.unitID] ?? "") },
                          uniquingKeysWith: { a, _ in a })
    }

    /// The photos the appellant may see: those of public steps (`EventKind.isPublic`) — what they
    /// sent, and the responders' at completion — on the appeal or the whistle blown on it.
    static func publicPhotos(_ appeal: AppealRecord, services: Services) async throws -> [CasePhoto] {
        let id = appeal.id.rawValue
        var photos = try await services.evidence(appealID: id)
        if let whistleID = appeal.whistleID { photos += try await services.evidence(whistleID: whistleID) }
        var seen = Set<String>()
        return photos.filter { $0.step.isPublic && seen.insert($0.photoID + $0.step.rawValue).inserted }
            .sorted { ($0.addedAt, $0.position) < ($1.addedAt, $1.position) }
    }

    /// One of those photos, for whoever holds the tracking code.
    static func photo(_ req: Request) async throws -> Response {
        let services = req.whistle
        let appeal = try await services.appeal(trackingCode: req.parameters.get("code") ?? "")
        let hash = req.parameters.get("hash") ?? ""
        guard hash.count == 64, hash.allSatisfy(\.isHexDigit),
              let photo = try await publicPhotos(appeal, services: services).first(where: { $0.photoID == hash }),
              let stored = try await services.photo(photo.photoID) else {
            throw WhistleError.notFound("photo", hash)
        }
        let response = try await req.fileio.asyncStreamFile(at: services.photoPath(hash))
        response.headers.contentType = HTTPMediaType(type: "image", subType: String(stored.contentType.dropFirst(6)))
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=86400")
        return response
    }
}
