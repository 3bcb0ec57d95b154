import Foundation
import NIOCore
import Vapor
import WhistleStore

/// Delivers due outbox rows to their endpoints (webhooks and SMS gateways alike): POSTs the
/// stored payload byte for byte, signed with the endpoint's secret (see `WebhookSignature`),
/// marks a 2xx answer delivered and anything else — another status, a timeout, a refused
/// connection — failed, to be retried after the backoff. Nothing is ever dropped.
///
/// No database lock is held while a request is in flight: reading the due rows and recording
/// each outcome are short separate writes, so a slow or dead endpoint holds up neither other
/// endpoints nor the clock engine.
struct OutboxDeliverer: Sendable {
    let services: Services
    let client: any Client
    let logger: Logger
    /// How long one request may take, connecting included.
    var timeout: TimeAmount = .seconds(5)
    /// At most this many requests in flight at once.
    var concurrency: Int = 32

    /// Attempts every due row (up to `limit`) and returns how many it attempted. Throws only
    /// when the outbox cannot be read; one endpoint's failure is recorded on its row.
    func deliverDue(limit: Int) async throws -> Int {
        let due = try await services.dueDeliveries(limit: limit)
        guard !due.isEmpty else { return 0 }
        let attempts = Self.interleaved(due)
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for attempt in attempts {
                if inFlight >= max(concurrency, 1) {
                    await group.next()
                    inFlight -= 1
                }
                group.addTask { await self.deliver(attempt) }
                inFlight += 1
            }
        }
        return attempts.count
    }

    /// Round-robin over endpoints, each endpoint's rows in their original (oldest first)
    /// order, so that a backlog for one endpoint does not take every slot of the batch.
    static func interleaved(_ rows: [DueDelivery]) -> [DueDelivery] {
        var queues: [[DueDelivery]] = []
        var queueOf: [UUID: Int] = [:]
        for row in rows {
            if let index = queueOf[row.endpointID] {
                queues[index].append(row)
            } else {
                queueOf[row.endpointID] = queues.count
                queues.append([row])
            }
        }
        var result: [DueDelivery] = []
        result.reserveCapacity(rows.count)
        for round in 0..<(queues.map(\.count).max() ?? 0) {
            for queue in queues where round < queue.count { result.append(queue[round]) }
        }
        return result
    }

    /// One attempt and its record. Never throws: a failure to record is logged, and the row,
    /// still undelivered, is attempted again on a later pass.
    private func deliver(_ attempt: DueDelivery) async {
        let outcome = await send(attempt)
        do {
            if let failure = outcome {
                logger.debug("outbox \(attempt.idempotencyKey) to \(attempt.url) failed: \(failure)")
                try await services.markFailed(attempt.id, error: failure)
            } else {
                try await services.markDelivered(attempt.id)
            }
        } catch {
            logger.error("outbox \(attempt.idempotencyKey): could not record the attempt: \(error)")
        }
    }

    /// Sends one signed request; nil on a 2xx answer, otherwise why it failed.
    private func send(_ attempt: DueDelivery) async -> String? {
        let timestamp = Int(services.clock.now().timeIntervalSince1970.rounded(.down))
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Idempotency-Key", value: attempt.idempotencyKey)
        headers.add(name: "X-Whistle-Timestamp", value: String(timestamp))
        headers.add(name: "X-Whistle-Signature",
                    value: WebhookSignature.sign(secret: attempt.secret, timestamp: timestamp, body: attempt.payload))
        let request = ClientRequest(method: .POST, url: URI(string: attempt.url), headers: headers,
                                    body: ByteBuffer(string: attempt.payload), timeout: timeout)
        do {
            let response = try await client.send(request)
            if (200..<300).contains(response.status.code) { return nil }
            let excerpt = response.body.map { String(buffer: $0).prefix(200) } ?? ""
            return "HTTP \(response.status.code)" + (excerpt.isEmpty ? "" : ": \(excerpt)")
        } catch {
            return "\(String(reflecting: type(of: error))): \(error)"
        }
    }
}
