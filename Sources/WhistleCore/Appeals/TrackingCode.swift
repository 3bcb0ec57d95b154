/// The code a citizen uses to follow an appeal without an account: 10 characters from an
/// alphabet without look-alikes (no 0/O, 1/I/L), about 50 bits of randomness.
public enum TrackingCode {
    static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")

    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(using: &generator)
    }

    public static func make<G: RandomNumberGenerator>(using generator: inout G) -> String {
        String((0..<10).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
