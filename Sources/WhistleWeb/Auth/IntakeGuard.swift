import Vapor
import WhistleCore
import WhistleStore

/// Anonymous intake (the citizen portal and `POST /api/v1/public/appeals`) is limited per
/// address and per phone number (`IntakeLimits`, tunable per district), before anything is
/// stored: a flood from one client is answered 429 in the citizen's language.
actor IntakeGuard {
    private var addresses: [String: IntakeLimits.Window] = [:]
    private var phones: [String: IntakeLimits.Window] = [:]
    private let capacity: Int

    init(capacity: Int = 100_000) { self.capacity = capacity }

    /// Counts one submission, or throws `intake.throttled` with the seconds to wait. Without
    /// an address (a keyed client speaking for many residents) only the phone is counted.
    func admit(address: String?, phone: String?, limits: IntakeLimits, now: Date) throws {
        var byAddress: IntakeLimits.Window?
        if let address {
            let addressWindow = addresses[address]
            guard let admitted = limits.admit(addressWindow, limit: limits.perAddress, now: now) else {
                throw Self.refusal(addressWindow.map { limits.retryAfter($0, now: now) } ?? 1)
            }
            byAddress = admitted
        }
        var byPhone: IntakeLimits.Window?
        if let phone {
            let phoneWindow = phones[phone]
            guard let admitted = limits.admit(phoneWindow, limit: limits.perPhone, now: now) else {
                throw Self.refusal(phoneWindow.map { limits.retryAfter($0, now: now) } ?? 1)
            }
            byPhone = admitted
        }
        if let address { addresses[address] = byAddress }
        if let phone { phones[phone] = byPhone }
        if addresses.count > capacity { addresses = addresses.filter { now.timeIntervalSince($0.value.start) < limits.window } }
        if phones.count > capacity { phones = phones.filter { now.timeIntervalSince($0.value.start) < limits.window } }
    }

    private static func refusal(_ seconds: Int) -> WhistleError {
        WhistleError("intake.throttled", .throttled, params: ["retryAfter": "\(seconds)"])
    }
}

extension Request {
    /// Admits one anonymous submission for the street named (its district's limits) or throws 429.
    func admitAnonymousIntake(streetID: UUID?, phone: String?) async throws {
        let services = whistle
        var limits = IntakeLimits.defaults
        if let streetID, let street = try? await services.unit(streetID) {
            limits = try await services.intakeLimits(district: services.districtID(of: street))
        }
        let digits = phone.map { String($0.filter(\.isNumber)) }.flatMap { $0.isEmpty ? nil : $0 }
        let address = remoteAddress?.ipAddress ?? "-"
        do {
            try await application.intakeGuard.admit(address: address, phone: digits, limits: limits, now: services.clock.now())
        } catch let error as WhistleError {
            logger.warning("anonymous intake refused from \(address): \(error.code), retry after \(error.params["retryAfter"] ?? "?") s")
            throw error
        }
    }
}

private struct IntakeGuardKey: StorageKey { typealias Value = IntakeGuard }

extension Application {
    var intakeGuard: IntakeGuard {
        get {
            if let existing = storage[IntakeGuardKey.self] { return existing }
            let made = IntakeGuard()
            storage[IntakeGuardKey.self] = made
            return made
        }
        set { storage[IntakeGuardKey.self] = newValue }
    }
}
