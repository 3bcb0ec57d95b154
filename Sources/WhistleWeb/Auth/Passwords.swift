import Vapor
import WhistleStore

/// bcrypt for stored passwords.
struct BcryptHasher: WhistleStore.PasswordHasher {
    let cost: Int
    func hash(_ password: String) throws -> String { try Bcrypt.hash(password, cost: cost) }
    func verify(_ password: String, hash: String) throws -> Bool { try Bcrypt.verify(password, created: hash) }
}

/// Opaque bearer tokens: 32 random bytes, base64url; only their SHA-256 is stored.
enum Tokens {
    static let cookieName = "whistle_session"

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hex
    }
}
