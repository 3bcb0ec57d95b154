import Vapor
import WhistleCore
import WhistleStore

/// Consent to agency heads (the five powers of streets) and the street's quarterly evaluations of them.
enum AgencyHeadController {
    struct ChangeDTO: Content {
        var id: UUID; var departmentId: UUID; var agencyId: UUID; var streetId: UUID; var kind: String; var candidate: String
        var reason: String; var state: String; var stateName: String; var proposedBy: UUID; var proposedAt: Date
        var decidedBy: UUID?; var decidedAt: Date?; var decisionReason: String?; var completedBy: UUID?; var completedAt: Date?
        init(_ m: HeadChangeRecord) {
            id = m.id.rawValue; departmentId = m.departmentID; agencyId = m.agencyID; streetId = m.streetID; kind = m.kind.rawValue
            candidate = m.candidate; reason = m.reason; state = m.state.rawValue; stateName = m.state.nameZh
            proposedBy = m.proposedBy; proposedAt = m.proposedAt; decidedBy = m.decidedBy; decidedAt = m.decidedAt
            decisionReason = m.decisionReason; completedBy = m.completedBy; completedAt = m.completedAt
        }
    }
    struct ProposeInput: Content { var agencyId: UUID?; var kind: HeadChangeKind?; var candidate: String?; var reason: String? }
    struct DecisionInput: Content { var consent: Bool?; var reason: String? }

    struct CurrentHeadDTO: Content { var agencyId: UUID; var head: String?; var changeId: UUID?; var since: Date? }

    /// `GET /agency-heads/current?agencyId=`: the agency's head appointed with the street's consent.
    static func current(_ req: Request) async throws -> CurrentHeadDTO {
        _ = try req.requireActor()
        guard let agency = try req.params.uuid("agencyId") else { throw WhistleError.missing("agencyId") }
        let head = try await req.whistle.currentAgencyHead(agencyID: agency)
        return CurrentHeadDTO(agencyId: agency, head: head?.candidate, changeId: head?.id, since: head?.completedAt)
    }

    static func propose(_ req: Request) async throws -> Response {
        let input = try req.body(ProposeInput.self)
        let change = try await req.whistle.proposeAgencyHead(agencyID: input.agencyId, kind: input.kind, candidate: input.candidate,
                                                             reason: input.reason, by: try req.requireActor())
        return try await ChangeDTO(change).encodeResponse(status: .created, for: req)
    }

    static func list(_ req: Request) async throws -> [ChangeDTO] {
        try await req.whistle.agencyHeadChanges(for: try req.requireActor()).map(ChangeDTO.init)
    }

    static func decide(_ req: Request) async throws -> ChangeDTO {
        let input = try req.body(DecisionInput.self)
        return ChangeDTO(try await req.whistle.decideAgencyHead(try req.headChangeID(), consent: input.consent,
                                                                reason: input.reason, by: try req.requireActor()))
    }

    static func complete(_ req: Request) async throws -> ChangeDTO {
        ChangeDTO(try await req.whistle.finishAgencyHead(try req.headChangeID(), withdraw: false, by: try req.requireActor()))
    }

    static func withdraw(_ req: Request) async throws -> ChangeDTO {
        ChangeDTO(try await req.whistle.finishAgencyHead(try req.headChangeID(), withdraw: true, by: try req.requireActor()))
    }

    struct EvaluationInput: Content {
        var agencyId: UUID?; var year: Int?; var quarter: Int?; var head: String?; var grade: HeadGrade?; var record: String?
    }
    struct EvaluationDTO: Content {
        var id: UUID; var streetId: UUID; var agencyId: UUID; var agency: String; var head: String; var quarter: String
        var grade: String; var gradeName: String; var record: String; var evaluatedAt: Date
    }

    struct AnnualInput: Content { var agencyId: UUID?; var year: Int?; var grade: HeadGrade?; var head: String? }
    struct AnnualDTO: Content { var agencyId: UUID; var agency: String; var head: String; var year: Int; var grade: HeadGrade; var gradeName: String }

    /// `POST /agency-heads/annual-grades {agencyId, year, grade, head?}` (the street's leader) → 201.
    static func gradeAnnually(_ req: Request) async throws -> Response {
        let input = try req.body(AnnualInput.self)
        let g = try await req.whistle.gradeAgencyHead(agencyID: input.agencyId, year: input.year, grade: input.grade, head: input.head,
                                                      by: try req.requireActor())
        return try await AnnualDTO(agencyId: g.agency.id, agency: g.agency.name, head: g.head, year: g.year, grade: g.grade,
                                   gradeName: g.grade.nameZh).encodeResponse(status: .created, for: req)
    }

    static func evaluate(_ req: Request) async throws -> Response {
        let input = try req.body(EvaluationInput.self)
        let services = req.whistle
        let e = try await services.evaluateAgencyHead(agencyID: input.agencyId, year: input.year, quarter: input.quarter, head: input.head,
                                                      grade: input.grade, record: input.record, by: try req.requireActor())
        return try await dto(e, agency: try await services.unit(e.agencyID)).encodeResponse(status: .created, for: req)
    }

    static func dto(_ e: HeadEvaluationRecord, agency: OrgUnit?) -> EvaluationDTO {
        EvaluationDTO(id: e.id, streetId: e.streetID, agencyId: e.agencyID, agency: agency?.name ?? "", head: e.head,
                      quarter: "\(e.year)-Q\(e.quarter)", grade: e.grade.rawValue, gradeName: e.grade.nameZh,
                      record: e.record, evaluatedAt: e.evaluatedAt)
    }

    /// `GET /api/v1/agency-heads/evaluations/2026/Q1?district=CODE`: the published results (public).
    static func published(_ req: Request) async throws -> [EvaluationDTO] {
        let services = req.whistle
        let period = try NoticeController.quarter(req)
        let district = try await services.publicDistrict(code: req.params.string("district"))
        let parts = period.label.split(separator: "-")
        let units = Dictionary(uniqueKeysWithValues: try await services.allUnits().map { ($0.id, $0) })
        return try await services.agencyHeadEvaluations(district: district.id, year: Int(parts[0])!, quarter: Int(parts[1].dropFirst())!)
            .map { dto($0, agency: units[$0.agencyID]) }
    }
}

extension HeadChangeKind: Content {}
extension HeadGrade: Content {}
