/// The code a citizen uses to follow an appeal without an account: 10 characters from an
/// alphabet without look-alikes (no 0/O, 1/I/L), about 50 bits of randomness.
public enum TrackingCode {
    static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")

    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(using: &generator)
    }

    static let length = 10
    /// How many codes there are: 31¹⁰, about 8.2 × 10¹⁴ (49.5 bits).
    static let count: UInt64 = (0..<length).reduce(1) { total, _ in total * UInt64(alphabet.count) }

    /// A code drawn uniformly from all of them, with one draw of the generator (not one per
    /// symbol: the system generator is a system call per draw), written in base 31.
    public static func make<G: RandomNumberGenerator>(using generator: inout G) -> String {
        var value = UInt64.random(in: 0..<count, using: &generator)
        var symbols: [Character] = []
        symbols.reserveCapacity(length)
        for _ in 0..<length {
            symbols.append(alphabet[Int(value % UInt64(alphabet.count))])
            value /= UInt64(alphabet.count)
        }
        return String(symbols)
    }
}
