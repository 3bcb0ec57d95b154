import FluentKit
import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting
import WhistleCore
import WhistleStore
@testable import WhistleWeb

/// Signed webhook and SMS-gateway delivery from the outbox: a real receiver on a loopback
/// port, the clock moved by hand, retries with backoff, nothing lost.
@Suite struct WebhookTests {
    static let goodSecret = "good-secret-0123456789"
    static let smsSecret = "sms-secret-0123456789"
    static let badSecret = "bad-secret-0123456789"

    // MARK: End to end

    @Test func failedDeliveriesAreRetriedWithBackoffUntilAcceptedAndNothingIsLost() async throws {
        try await TestApp.run { t in
            try await Receiver.serve(failFirst: 3) { receiver, base in
                let services = t.app.whistle
                let admin = try await adminActor(t)
                let good = try await services.addEndpoint(channel: "webhook", url: "\(base)/hook", secret: Self.goodSecret, by: admin)
                let sms = try await services.addEndpoint(channel: "sms", url: "\(base)/hook", secret: Self.smsSecret, by: admin)
                let bad = try await services.addEndpoint(channel: "webhook", url: "\(base)/down", secret: Self.badSecret, by: admin)
                let secrets = [good.id: Self.goodSecret, sms.id: Self.smsSecret, bad.id: Self.badSecret]

                // A whistle, then its acknowledge deadline passes unanswered.
                let taskID = try await blowWhistle(&t)
                let ackBy = try await acknowledgeBy(&t, task: taskID)
                #expect(try await services.dueDeliveries(limit: 50).isEmpty)
                t.clock.set(ackBy.addingTimeInterval(1))
                let report = try await services.fireDueClocks()
                #expect(report.steps >= 1)
                let created = try await OutboxModel.query(on: t.app.db).all()
                #expect(created.count == report.steps * 3, "one delivery per step and endpoint")
                let overdue = try created.filter { try payload($0).type == "clock.overdue" && payload($0).clock == "acknowledge" }
                #expect(Set(overdue.map(\.endpointID)) == Set(secrets.keys))

                let deliverer = OutboxDeliverer(services: services, client: t.app.client, logger: t.app.logger)
                // Three passes: the receiver answers 500 each time; every row waits 5, 10, 20 s.
                for attempt in 1...3 {
                    let passAt = t.clock.now()
                    #expect(try await deliverer.deliverDue(limit: 50) == created.count)
                    for row in try await OutboxModel.query(on: t.app.db).all() {
                        #expect(row.attempts == attempt)
                        #expect(row.deliveredAt == nil)
                        #expect(row.lastError?.hasPrefix("HTTP 500") == true, "\(row.lastError ?? "nil")")
                        let next = try #require(row.nextAttemptAt)
                        #expect(abs(next.timeIntervalSince(passAt) - Services.backoff(attempts: attempt)) < 0.01)
                    }
                    // Nothing is attempted before the backoff has run out.
                    t.clock.advance(by: Services.backoff(attempts: attempt) - 1)
                    #expect(try await deliverer.deliverDue(limit: 50) == 0)
                    t.clock.advance(by: 1)
                }
                // Fourth pass: /hook now accepts; /down still fails and is kept.
                let acceptedAt = t.clock.now()
                #expect(try await deliverer.deliverDue(limit: 50) == created.count)
                for row in try await OutboxModel.query(on: t.app.db).all() {
                    if row.endpointID == bad.id {
                        #expect(row.deliveredAt == nil)
                        #expect(row.attempts == 4)
                        #expect(row.nextAttemptAt.map { abs($0.timeIntervalSince(acceptedAt) - 40) < 0.01 } == true)
                    } else {
                        #expect(row.deliveredAt.map { abs($0.timeIntervalSince(acceptedAt)) < 0.01 } == true)
                        #expect(row.attempts == 3, "attempts counts the failures")
                        #expect(row.lastError?.hasPrefix("HTTP 500") == true)
                    }
                }

                // What the receiver got: every delivery to /hook, exactly once accepted, after three
                // refused tries that carried the same key and the same bytes.
                let hits = await receiver.hits
                for row in created where row.endpointID != bad.id {
                    let mine = hits.filter { $0.path == "/hook" && $0.header("Idempotency-Key") == row.idempotencyKey }
                    #expect(mine.map(\.status) == [500, 500, 500, 200])
                    for hit in mine {
                        #expect(hit.body == row.payload, "the stored payload, byte for byte")
                        #expect(hit.header("Content-Type") == "application/json")
                        let timestamp = try #require(hit.header("X-Whistle-Timestamp"))
                        let signature = try #require(hit.header("X-Whistle-Signature"))
                        #expect(signature.hasPrefix("sha256="))
                        #expect(WebhookSignature.verify(secret: secrets[row.endpointID]!, timestamp: timestamp, body: hit.body,
                                                        signature: signature, now: t.clock.now()))
                        #expect(!WebhookSignature.verify(secret: Self.badSecret, timestamp: timestamp, body: hit.body,
                                                         signature: signature, now: t.clock.now()))
                    }
                    let accepted = try #require(mine.last)
                    #expect(accepted.header("X-Whistle-Timestamp") == String(Int(acceptedAt.timeIntervalSince1970)))
                }
                // The payload: one shape for webhooks and SMS gateways; only SMS carries phones.
                for row in overdue where row.endpointID != bad.id {
                    let body = try payload(row)
                    #expect(body.id == row.idempotencyKey)
                    #expect(body.taskId?.uuidString.lowercased() == taskID.lowercased())
                    #expect(body.dueAt == ackBy)
                    let staff = try #require(body.recipients.first { $0.name == "城管队员" })
                    if row.endpointID == sms.id {
                        #expect(body.channel == "sms")
                        #expect(staff.phone == "13800000003")
                    } else {
                        #expect(body.channel == "webhook")
                        #expect(body.recipients.allSatisfy { $0.phone == nil })
                    }
                }

                // The endpoint that kept failing comes back: its rows, never dropped, go out too.
                await receiver.heal()
                t.clock.advance(by: Services.backoff(attempts: 4))
                #expect(try await deliverer.deliverDue(limit: 50) == report.steps)
                let undelivered = try await OutboxModel.query(on: t.app.db).filter(\.$deliveredAt == nil).count()
                #expect(undelivered == 0)
                let downHits = await receiver.hits.filter { $0.path == "/down" }
                #expect(downHits.count == report.steps * 5)
                for row in created where row.endpointID == bad.id {
                    let last = try #require(downHits.last { $0.header("Idempotency-Key") == row.idempotencyKey })
                    #expect(last.status == 200)
                    #expect(WebhookSignature.verify(secret: Self.badSecret, timestamp: last.header("X-Whistle-Timestamp") ?? "",
                                                    body: last.body, signature: last.header("X-Whistle-Signature") ?? "",
                                                    now: t.clock.now()))
                }
            }
        }
    }

    @Test func slowAndDeadEndpointsHoldUpNeitherOthersNorTheClockEngine() async throws {
        try await TestApp.run { t in
            // A port that was open a moment ago and is closed now: the connection is refused.
            let closedPort = try await Receiver.serve(failFirst: 0) { _, base in base }
            try await Receiver.serve(failFirst: 0) { receiver, base in
                let services = t.app.whistle
                let admin = try await adminActor(t)
                let good = try await services.addEndpoint(channel: "webhook", url: "\(base)/hook", secret: Self.goodSecret, by: admin)
                let slow = try await services.addEndpoint(channel: "webhook", url: "\(base)/hang", secret: Self.badSecret, by: admin)
                let dead = try await services.addEndpoint(channel: "sms", url: "\(closedPort)/sms", secret: Self.badSecret, by: admin)
                let inactive = try await services.addEndpoint(channel: "webhook", url: "\(base)/hook", secret: Self.badSecret, by: admin)

                let taskID = try await blowWhistle(&t)
                t.clock.set(try await acknowledgeBy(&t, task: taskID).addingTimeInterval(1))
                let report = try await services.fireDueClocks()
                #expect(report.steps >= 1)
                _ = try await services.setEndpoint(inactive.id, active: false, by: admin)
                let created = try await OutboxModel.query(on: t.app.db).all().map { $0.id! }
                #expect(created.count == report.steps * 4)

                // The checks below must finish while the slow request is in flight: a real HTTP
                // timeout (wall time), so it is set far above the few hundred milliseconds they take.
                let deliverer = OutboxDeliverer(services: services, client: t.app.client, logger: t.app.logger,
                                                timeout: .seconds(10))
                let finished = Flag()
                let pass = Task { () async throws -> Int in
                    let attempted = try await deliverer.deliverDue(limit: 50)
                    await finished.set()
                    return attempted
                }
                // While a request hangs: the good endpoint has its delivery, and writes and the clock
                // engine go on.
                await receiver.waitForHang()
                try await eventually(within: 3) {
                    try await OutboxModel.query(on: t.app.db).filter(\.$endpointID == good.id).filter(\.$deliveredAt == nil).count() == 0
                }
                let acknowledged = try await t.send(.POST, "/api/v1/tasks/\(taskID)/acknowledge", as: "um")
                #expect(acknowledged.status == .ok, "\(acknowledged.body.string)")
                t.clock.advance(by: 60)
                _ = try await services.fireDueClocks()
                #expect(await !finished.value, "all of this happened while the slow request was in flight")
                #expect(await receiver.hangingNow > 0)

                // The slow request times out (the receiver never answers it before `release`); the
                // pass ends and records a transport failure for it (checked below).
                let attempted = try await pass.value
                #expect(attempted == report.steps * 3, "inactive endpoints are skipped")
                await receiver.release()

                for row in try await OutboxModel.query(on: t.app.db).filter(\.$id ~~ created).all() {
                    switch row.endpointID {
                    case good.id:
                        #expect(row.deliveredAt != nil)
                        #expect(row.attempts == 0)
                    case slow.id, dead.id:
                        #expect(row.deliveredAt == nil)
                        #expect(row.attempts == 1)
                        #expect(row.lastError?.isEmpty == false)
                        #expect(row.lastError?.hasPrefix("HTTP") == false, "a transport failure: \(row.lastError ?? "")")
                        #expect(row.nextAttemptAt != nil)
                    default:
                        #expect(row.endpointID == inactive.id)
                        #expect(row.deliveredAt == nil && row.attempts == 0, "kept for when it is switched back on")
                    }
                }
                #expect(await receiver.hits.filter { $0.path == "/hook" }.count == report.steps)
            }
        }
    }

    // MARK: Units

    @Test func backoffDoublesFromFiveSecondsAndStopsAtAnHour() {
        #expect((1...10).map { Services.backoff(attempts: $0) } == [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560])
        #expect(Services.backoff(attempts: 11) == 3600)
        #expect(Services.backoff(attempts: 12) == 3600)
        #expect(Services.backoff(attempts: 1000) == 3600)
        #expect(Services.backoff(attempts: Int.max) == 3600)
        #expect(Services.backoff(attempts: 0) == 5)
    }

    @Test func signatureMatchesTheDocumentedRecipeAndATamperedRequestFails() {
        let secret = "secret-secret-secret", body = #"{"a":1}"#, now = Date(timeIntervalSince1970: 1_772_413_230)
        // Known answer: printf '1772413200.{"a":1}' | openssl dgst -sha256 -hmac 'secret-secret-secret'
        let signature = WebhookSignature.sign(secret: secret, timestamp: 1_772_413_200, body: body)
        #expect(signature == "sha256=a20701b9f06f99223f25f052fbe2150b6074499f919cca8c0dc2014c23581e03")
        #expect(WebhookSignature.verify(secret: secret, timestamp: "1772413200", body: body, signature: signature, now: now))
        #expect(WebhookSignature.verify(secret: secret, timestamp: "1772413200", body: Data(body.utf8),
                                        signature: signature.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256="), now: now))
        // Tampered body, timestamp, secret or signature; a stale or malformed timestamp.
        #expect(!WebhookSignature.verify(secret: secret, timestamp: "1772413200", body: #"{"a":2}"#, signature: signature, now: now))
        #expect(!WebhookSignature.verify(secret: secret, timestamp: "1772413200", body: #"{"a":1} "#, signature: signature, now: now))
        #expect(!WebhookSignature.verify(secret: secret, timestamp: "1772413201", body: body, signature: signature, now: now))
        #expect(!WebhookSignature.verify(secret: secret + "x", timestamp: "1772413200", body: body, signature: signature, now: now))
        #expect(!WebhookSignature.verify(secret: secret, timestamp: "1772413200", body: body,
                                         signature: String(signature.dropLast()) + "0", now: now))
        #expect(!WebhookSignature.verify(secret: secret, timestamp: "1772413200", body: body,
                                         signature: String(signature.dropFirst(7)), now: now))
        #expect(!WebhookSignature.verify(secret: secret, timestamp: "1772413200", body: body, signature: "", now: now))
        #expect(!WebhookSignature.verify(secret: secret, timestamp: "1772413200", body: body, signature: signature,
                                         now: now.addingTimeInterval(3600)))
        #expect(WebhookSignature.verify(secret: secret, timestamp: "1772413200", body: body, signature: signature,
                                        now: now.addingTimeInterval(3600), tolerance: .infinity))
        #expect(!WebhookSignature.verify(secret: secret, timestamp: "+1772413200", body: body, signature: signature, now: now))
        #expect(!WebhookSignature.verify(secret: secret, timestamp: "", body: body, signature: signature, now: now))
    }

    @Test func roundRobinKeepsOneEndpointsBacklogFromTakingEverySlot() {
        let a = UUID(), b = UUID(), c = UUID()
        func attempt(_ endpoint: UUID, _ key: String) -> DueDelivery {
            DueDelivery(id: UUID(), endpointID: endpoint, idempotencyKey: key, payload: "{}", attempts: 0, url: "http://x", secret: "s")
        }
        let order = OutboxDeliverer.interleaved([attempt(a, "a1"), attempt(a, "a2"), attempt(c, "c1"), attempt(a, "a3"), attempt(b, "b1"),
                                                 attempt(c, "c2")])
        #expect(order.map(\.idempotencyKey) == ["a1", "c1", "b1", "a2", "c2", "a3"])
        #expect(OutboxDeliverer.interleaved([]).isEmpty)
    }

    // MARK: Helpers

    func adminActor(_ t: TestApp) async throws -> WhistleCore.Actor {
        let person = try #require(try await PersonModel.query(on: t.app.db).filter(\.$username == "admin").first())
        let membership = try #require(try await t.app.whistle.memberships(of: person.id!).first)
        return WhistleCore.Actor(personID: person.id!, personName: person.name, unit: membership.unit, roles: membership.roles)
    }

    /// Street 1's dispatcher blows a whistle at the urban-management agency; returns its task id.
    func blowWhistle(_ t: inout TestApp) async throws -> String {
        let body: [String: Any] = ["title": "井盖缺失", "description": "路口井盖缺失", "address": "幸福路9号",
                                   "kind": "rally", "reason": "noAuthority",
                                   "responders": [["unitId": try await t.unitID("AG-UM-S1")]]]
        let response = try await t.send(.POST, "/api/v1/whistles", as: "disp1", json: body)
        #expect(response.status == .created, "\(response.body.string)")
        let tasks = try #require(response.json["tasks"] as? [[String: Any]])
        return try #require(tasks.first?["id"] as? String)
    }

    func acknowledgeBy(_ t: inout TestApp, task: String) async throws -> Date {
        let text = try #require(try await t.send(.GET, "/api/v1/tasks/\(task)", as: "um").json["acknowledgeBy"] as? String)
        return try #require(ISO8601DateFormatter().date(from: text))
    }

    /// Waits (briefly, on real time) for something another task is doing right now.
    func payload(_ row: OutboxModel) throws -> WebhookPayload {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(WebhookPayload.self, from: Data(row.payload.utf8))
    }
}

actor Flag {
    private(set) var value = false
    func set() { value = true }
}

/// A webhook receiver on a loopback port. `POST /hook` answers 500 to the first `failFirst`
/// requests of each idempotency key and 200 after; `POST /down` answers 500 until healed;
/// `POST /hang` does not answer until released. Every request is recorded.
actor Receiver {
    struct Hit: Sendable {
        var path: String
        var headers: HTTPHeaders
        var body: String
        var status: Int
        func header(_ name: String) -> String? { headers.first(name: name) }
    }

    let failFirst: Int
    private(set) var hits: [Hit] = []
    private var tries: [String: Int] = [:]
    private var healed = false
    private var released = false
    private(set) var hangingNow = 0
    private var hangArrivals = 0
    private var arrivalWaiters: [CheckedContinuation<Void, Never>] = []
    private var hangWaiters: [CheckedContinuation<Void, Never>] = []

    init(failFirst: Int) { self.failFirst = failFirst }

    func answer(path: String, headers: HTTPHeaders, body: String) -> Int {
        let key = headers.first(name: "Idempotency-Key") ?? ""
        tries[key, default: 0] += 1
        let status = switch path {
        case "/hook": tries[key]! > failFirst ? 200 : 500
        case "/down": healed ? 200 : 500
        default: 200
        }
        hits.append(Hit(path: path, headers: headers, body: body, status: status))
        return status
    }

    func hang() async {
        hangArrivals += 1
        for waiter in arrivalWaiters { waiter.resume() }
        arrivalWaiters = []
        guard !released else { return }
        hangingNow += 1
        await withCheckedContinuation { hangWaiters.append($0) }
        hangingNow -= 1
    }

    func waitForHang() async {
        if hangArrivals > 0 { return }
        await withCheckedContinuation { arrivalWaiters.append($0) }
    }

    func release() {
        released = true
        for waiter in hangWaiters { waiter.resume() }
        hangWaiters = []
    }

    func heal() { healed = true }

    /// Runs `body` with a receiver listening on 127.0.0.1 and its base URL; stops it after.
    static func serve<T: Sendable>(failFirst: Int, _ body: (Receiver, String) async throws -> T) async throws -> T {
        let receiver = Receiver(failFirst: failFirst)
        let app = try await Application.make(.testing)
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        for path in ["hook", "down"] {
            app.on(.POST, PathComponent(stringLiteral: path), body: .collect(maxSize: "1mb")) { req async -> Response in
                let text = req.body.string ?? ""
                let status = await receiver.answer(path: "/\(path)", headers: req.headers, body: text)
                return Response(status: HTTPResponseStatus(statusCode: status), body: .init(string: status == 200 ? "ok" : "try again"))
            }
        }
        app.on(.POST, "hang", body: .collect(maxSize: "1mb")) { req async -> Response in
            await receiver.hang()
            _ = await receiver.answer(path: "/hang", headers: req.headers, body: req.body.string ?? "")
            return Response(status: .ok)
        }
        do {
            try await app.server.start()
            let port = try #require(app.http.server.shared.localAddress?.port)
            let result = try await body(receiver, "http://127.0.0.1:\(port)")
            await receiver.release()
            await app.server.shutdown()
            try await app.asyncShutdown()
            return result
        } catch {
            await receiver.release()
            await app.server.shutdown()
            try? await app.asyncShutdown()
            throw error
        }
    }
}
