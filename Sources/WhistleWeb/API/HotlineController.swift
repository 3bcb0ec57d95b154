import Vapor
import WhistleCore
import WhistleStore

/// The 12345 work-order exchange (`/api/v1/hotline`): the platform, with its API key (purpose
/// `hotline`, one district), pushes orders — idempotent by order number — asks after one, and
/// sends its own callback (回访). Statuses go back through the outbox to the district's
/// `hotline` endpoint (`HotlineStatus`). Admins edit the classification mapping.
enum HotlineController {
    /// The platform every hotline key speaks for: the city's 12345 (its order numbers are unique).
    static let platform = "12345"
    static let batchLimit = 1000

    struct PushInput: Content { var orders: [HotlineOrder] }

    struct CreatedDTO: Content { var orderNo: String; var appealId: UUID; var number: String }

    struct ReceiptDTO: Content {
        /// Orders that became appeals now.
        var created: [CreatedDTO]
        /// Orders received before with the same content: nothing was done again.
        var repeated: [String]
        /// Classifications with no mapping: their appeals carry no catalogue item.
        var unmappedCategories: [String]
    }

    static func push(_ req: Request) async throws -> Response {
        let key = try await req.apiKey(.hotline, parameter: nil)
        let input = try req.body(PushInput.self)
        guard (1...batchLimit).contains(input.orders.count) else {
            throw WhistleError("hotline.batch_size", .invalid, field: "orders")
        }
        let receipt = try await req.whistle.receiveHotlineOrders(input.orders, platform: platform, strict: true, district: key.districtID)
        let created = input.orders.compactMap { order -> CreatedDTO? in
            guard let id = receipt.created[order.orderNo], let number = receipt.numbers[order.orderNo] else { return nil }
            return CreatedDTO(orderNo: order.orderNo, appealId: id.rawValue, number: number)
        }
        req.logger.info("hotline push with key \(key.prefix)…: \(created.count) created, \(receipt.repeated.count) repeated")
        return try await ReceiptDTO(created: created, repeated: receipt.repeated, unmappedCategories: receipt.unmappedCategories.sorted())
            .encodeResponse(status: created.isEmpty ? .ok : .created, for: req)
    }

    struct StatusDTO: Content {
        var sequence: Int
        var status: HotlineStatusKind
        var statusName: String
        var at: Date
        var text: String?
        var satisfaction: Satisfaction?
        var reopened: Bool?
        /// Whether the platform's endpoint has accepted it.
        var delivered: Bool
    }

    struct OrderDTO: Content {
        var orderNo: String
        var appealId: UUID
        var number: String
        var state: AppealState
        var stateName: String
        var dueAt: Date?
        var result: String?
        var statuses: [StatusDTO]

        init(_ s: HotlineOrderState) {
            orderNo = s.orderNo; appealId = s.appeal.id.rawValue; number = s.appeal.number; state = s.appeal.state
            stateName = s.appeal.state.nameZh; dueAt = s.appeal.dueAt; result = s.appeal.result
            statuses = s.statuses.map { u, delivered in
                StatusDTO(sequence: u.sequence, status: u.status, statusName: u.statusName, at: u.at, text: u.text,
                          satisfaction: u.satisfaction, reopened: u.reopened, delivered: delivered)
            }
        }
    }

    static func order(_ req: Request) async throws -> OrderDTO {
        let key = try await req.apiKey(.hotline, parameter: nil)
        return OrderDTO(try await req.whistle.hotlineOrderState(platform: platform, orderNo: req.parameters.get("orderNo") ?? "",
                                                                district: key.districtID))
    }

    struct CallbackInput: Content { var satisfaction: Satisfaction?; var comment: String?; var reopen: Bool? }

    static func callback(_ req: Request) async throws -> OrderDTO {
        let key = try await req.apiKey(.hotline, parameter: nil)
        let input = try req.body(CallbackInput.self)
        let orderNo = req.parameters.get("orderNo") ?? ""
        let services = req.whistle
        _ = try await services.hotlineCallback(platform: platform, orderNo: orderNo, district: key.districtID,
                                               satisfaction: input.satisfaction, comment: input.comment, reopen: input.reopen ?? false)
        return OrderDTO(try await services.hotlineOrderState(platform: platform, orderNo: orderNo, district: key.districtID))
    }

    // MARK: The mapping (admins)

    struct CategoriesDTO: Content { var categories: [HotlineCategory] }

    static func categories(_ req: Request) async throws -> CategoriesDTO {
        try Policy.require(try req.requireActor(), .administer)
        return CategoriesDTO(categories: try await req.whistle.hotlineCategories(platform: platform).values.sorted { $0.category < $1.category })
    }

    static func setCategories(_ req: Request) async throws -> CategoriesDTO {
        let actor = try req.requireActor()
        let input = try req.body(CategoriesDTO.self)
        try await req.whistle.setHotlineCategories(platform: platform, input.categories, by: actor)
        return CategoriesDTO(categories: try await req.whistle.hotlineCategories(platform: platform).values.sorted { $0.category < $1.category })
    }
}
