import NIOPosix
import Vapor
import WhistleCore
import WhistleStore

/// Signing in, for the API and the pages alike: throttled per account and per address
/// (`AttemptThrottle`), the password checked off the event loops with a bound on concurrent
/// hashes, and an unknown username costing the same hash as a known one, so that neither the
/// answer nor its timing tells whether an account exists.
enum SignIn {
    static func authenticate(_ req: Request, username: String, password: String) async throws -> PersonAccount {
        let guardian = req.application.signInGuard
        let now = req.whistle.clock.now()
        let account = username.lowercased()
        let address = req.remoteAddress?.ipAddress ?? "-"
        if let refusal = await guardian.refusal(account: account, address: address, now: now) {
            req.logger.warning("sign-in refused (\(refusal.code)) for '\(username)' from \(address): retry after \(refusal.params["retryAfter"] ?? "?") s")
            throw refusal
        }
        let person = try await req.whistle.person(username: username)
        let matches = try await guardian.verify(password, against: person?.passwordHash, hasher: req.application.whistleState.hasher)
        guard let person, matches else {
            let locked = await guardian.failed(account: account, address: address, now: now)
            req.application.telemetry.signInFailures.increment()
            if locked { req.application.telemetry.signInLocks.increment() }
            if locked { req.logger.warning("sign-in locked for '\(username)' / \(address) after repeated failures") }
            throw WhistleError("auth.bad_credentials", .unauthenticated)
        }
        await guardian.succeeded(account: account)
        return person
    }
}

/// Failure records per account and per address (this node's memory, bounded), and the gate
/// that runs bcrypt on the thread pool at most `hashLimit` at a time.
actor SignInGuard {
    private var accounts: AttemptLedger
    private var addresses: AttemptLedger
    private let pool: NIOThreadPool
    private let hashLimit: Int
    private var hashing = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var dummyHash: String?
    /// Passwords checked with bcrypt so far (a test counts them: an unknown username costs
    /// exactly what a known one does).
    private(set) var passwordsChecked = 0

    init(pool: NIOThreadPool, hashLimit: Int = max(1, System.coreCount - 1),
         account: AttemptThrottle = .account, address: AttemptThrottle = .address, capacity: Int = 100_000) {
        self.pool = pool
        self.hashLimit = hashLimit
        accounts = AttemptLedger(throttle: account, capacity: capacity)
        addresses = AttemptLedger(throttle: address, capacity: capacity)
    }

    /// The error to answer with when either key may not try now.
    func refusal(account: String, address: String, now: Date) -> WhistleError? {
        for verdict in [accounts.check(account, now: now), addresses.check(address, now: now)] {
            if case .refused(let retryAfter, let locked) = verdict {
                return WhistleError(locked ? "auth.locked" : "auth.throttled", .throttled, params: ["retryAfter": "\(retryAfter)"])
            }
        }
        return nil
    }

    /// Records a failure; true when it locked either key.
    func failed(account: String, address: String, now: Date) -> Bool {
        let a = accounts.failed(account, now: now)
        let b = addresses.failed(address, now: now)
        return a || b
    }

    func succeeded(account: String) { accounts.clear(account) }

    /// bcrypt on the thread pool; with no stored hash, a dummy of the same cost is checked
    /// (and the answer is false), so an unknown account takes as long as a known one.
    func verify(_ password: String, against stored: String?, hasher: BcryptHasher) async throws -> Bool {
        await acquire()
        do {
            let hash: String
            if let stored {
                hash = stored
            } else if let dummyHash {
                hash = dummyHash
            } else {
                let made = try await pool.runIfActive { try hasher.hash("whistle-timing-equaliser") }
                dummyHash = made
                hash = made
            }
            let ok = try await pool.runIfActive { try hasher.verify(password, hash: hash) }
            passwordsChecked += 1
            release()
            return ok && stored != nil
        } catch {
            release()
            throw error
        }
    }

    private func acquire() async {
        if hashing < hashLimit { hashing += 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { hashing -= 1 } else { waiting.removeFirst().resume() }
    }
}

/// Failure records for one kind of key, at most `capacity` of them: when full, stale records
/// go first, then the oldest.
struct AttemptLedger {
    let throttle: AttemptThrottle
    let capacity: Int
    private var records: [String: AttemptThrottle.Record] = [:]

    init(throttle: AttemptThrottle, capacity: Int) {
        self.throttle = throttle
        self.capacity = capacity
    }

    func check(_ key: String, now: Date) -> AttemptThrottle.Verdict { throttle.check(records[key], now: now) }

    /// True when this failure locked the key.
    mutating func failed(_ key: String, now: Date) -> Bool {
        let record = throttle.failed(records[key], now: now)
        records[key] = record
        if records.count > capacity { prune(now: now) }
        return record.failures == throttle.lockAfter
    }

    mutating func clear(_ key: String) { records[key] = nil }

    private mutating func prune(now: Date) {
        records = records.filter { !throttle.isStale($0.value, now: now) }
        if records.count > capacity {
            let keep = records.sorted { $0.value.lastFailure > $1.value.lastFailure }.prefix(capacity * 3 / 4)
            records = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
        }
    }
}

private struct SignInGuardKey: StorageKey { typealias Value = SignInGuard }

extension Application {
    var signInGuard: SignInGuard {
        get {
            if let existing = storage[SignInGuardKey.self] { return existing }
            let made = SignInGuard(pool: threadPool)
            storage[SignInGuardKey.self] = made
            return made
        }
        set { storage[SignInGuardKey.self] = newValue }
    }
}
