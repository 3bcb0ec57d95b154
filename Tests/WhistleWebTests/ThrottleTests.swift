import Foundation
import Testing
import Vapor
import VaporTesting
import WhistleCore
@testable import WhistleWeb

/// Guessing passwords and flooding the public intake are slowed and stopped: 429 with
/// `Retry-After` (injected clock, no waiting), the right password refused while locked and
/// accepted after; an unknown username answers exactly as a wrong password does.
@Suite struct ThrottleTests {
    func login(_ t: inout TestApp, _ username: String, _ password: String) async throws -> TestingHTTPResponse {
        try await t.send(.POST, "/api/v1/auth/login", json: ["username": username, "password": password])
    }

    @Test func wrongPasswordsLockTheAccountUntilTheLockRunsOut() async throws {
        try await TestApp.run { t in
            let throttle = AttemptThrottle.account
            // A patient guesser waits out every delay; each wrong guess counts until the lock.
            var failures = 0
            var delays: [Int] = []
            while failures < throttle.lockAfter {
                let answer = try await login(&t, "disp1", "wrong-password")
                if answer.status == .unauthorized { failures += 1; continue }
                #expect(answer.status == .tooManyRequests)
                #expect(answer.json["code"] as? String == "auth.throttled")
                #expect(failures >= throttle.freeFailures, "slowed after only \(failures) failures")
                let retry = try #require(answer.headers.first(name: .retryAfter).flatMap(Int.init))
                delays.append(retry)
                t.clock.advance(by: TimeInterval(retry))
            }
            #expect(delays == [1, 2, 4, 8], "\(delays)")
            let locked = try await login(&t, "disp1", "password-disp1")
            #expect(locked.status == .tooManyRequests, "the right password got in while locked")
            #expect(locked.json["code"] as? String == "auth.locked")
            let retry = try #require(locked.headers.first(name: .retryAfter).flatMap(Int.init))
            #expect(retry > 60 && retry <= Int(throttle.lockFor))
            #expect((locked.json["detail"] as? String)?.contains("锁定") == true)
            // Other accounts are not affected.
            #expect(try await login(&t, "disp2", "password-disp2").status == .ok)
            // After the lock, the right password works and clears the record.
            t.clock.advance(by: TimeInterval(retry))
            #expect(try await login(&t, "disp1", "password-disp1").status == .ok)
            #expect(try await login(&t, "disp1", "wrong-password").status == .unauthorized)
        }
    }

    @Test func unknownUsersLookLikeWrongPasswords() async throws {
        try await TestApp.run { t in
            let unknown = try await login(&t, "nobody-here", "password-x")
            let wrong = try await login(&t, "disp1", "password-x")
            #expect(unknown.status == wrong.status)
            #expect(unknown.body == wrong.body)
            // The same work for both: one bcrypt check each, of the same cost (so timing tells
            // nothing, counted rather than timed).
            let guardian = t.app.signInGuard
            let before = await guardian.passwordsChecked
            _ = try await login(&t, "nobody-else", "password-x")
            let afterUnknown = await guardian.passwordsChecked
            _ = try await login(&t, "disp2", "password-x")
            let afterWrong = await guardian.passwordsChecked
            #expect(afterUnknown - before == 1)
            #expect(afterWrong - afterUnknown == 1)
        }
    }

    @Test func tooLongPasswordsAreRefusedAtImport() async throws {
        try await TestApp.run { t in
            let long = String(repeating: "密", count: 25)   // 75 bytes
            let csv = "username,name,phone,password,memberships\nlongpw,长密码,13800000099,\(long),S1:dispatcher\n"
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: try await t.token("admin"))
            headers.contentType = HTTPMediaType(type: "text", subType: "csv")
            let answer = try await t.app.testing().sendRequest(.POST, "/api/v1/admin/people/import", headers: headers,
                                                               body: ByteBuffer(string: csv))
            #expect(answer.status == .unprocessableEntity, "\(answer.body.string)")
            #expect(answer.body.string.contains("72"), "\(answer.body.string)")
        }
    }

    @Test func publicIntakeIsLimitedPerPhoneAndPerAddress() async throws {
        try await TestApp.run { t in
            let street = try await t.unitID("S1")
            func submit(_ t: inout TestApp, phone: String) async throws -> TestingHTTPResponse {
                try await t.send(.POST, "/api/v1/public/appeals", json: ["channel": "citizenOnline", "appellantName": "市民", "appellantPhone": phone,
                                                                         "address": "幸福路1号", "description": "路灯不亮",
                                                                         "streetId": street],
                                 headers: ["Accept-Language": "zh-CN"])
            }
            let limits = IntakeLimits.defaults
            for _ in 0..<limits.perPhone { #expect(try await submit(&t, phone: "13900000001").status == .created) }
            let refused = try await submit(&t, phone: "13900000001")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.json["code"] as? String == "intake.throttled")
            #expect((refused.json["detail"] as? String)?.contains("秒后再试") == true, "\(refused.body.string)")
            #expect(refused.headers.first(name: .retryAfter).flatMap(Int.init) != nil)
            // Another phone from the same address goes on, up to the address's limit.
            var created = limits.perPhone
            var phone = 13900000100
            while created < limits.perAddress {
                phone += 1
                #expect(try await submit(&t, phone: "\(phone)").status == .created)
                created += 1
            }
            #expect(try await submit(&t, phone: "13900009999").status == .tooManyRequests)
            // The window passes; a district may tune the limits.
            t.clock.advance(by: limits.window)
            #expect(try await submit(&t, phone: "13900000001").status == .created)
            let tuned = try await t.send(.PUT, "/api/v1/admin/intake-limits", as: "admin",
                                         json: ["perAddress": 1000, "perPhone": 1, "window": 3600])
            #expect(tuned.status == .ok, "\(tuned.body.string)")
            #expect(try await submit(&t, phone: "13900000777").status == .created)
            #expect(try await submit(&t, phone: "13900000777").status == .tooManyRequests, "the district's tuning did not apply")
            let bad = try await t.send(.PUT, "/api/v1/admin/intake-limits", as: "admin",
                                       json: ["perAddress": 0, "perPhone": 1, "window": 3600])
            #expect(bad.status == .unprocessableEntity)
        }
    }
}
