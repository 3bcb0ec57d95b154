/// Masking of appellants' personal data for handling units (PIPL; Beijing's handle-on-receipt rules).
public enum PersonalData {
    /// "13812345678" → "138****5678"; shorter numbers (landlines) keep only their last two.
    public static func maskPhone(_ phone: String) -> String {
        let digits = Array(phone)
        guard digits.count >= 11 else {
            return String(repeating: "*", count: max(0, digits.count - 2)) + String(digits.suffix(2))
        }
        return String(digits.prefix(3)) + "****" + String(digits.suffix(4))
    }

    /// First character kept, the rest starred: a two-character name → "X*", four → "X***".
    public static func maskName(_ name: String) -> String {
        guard let first = name.first else { return name }
        return String(first) + String(repeating: "*", count: max(1, name.count - 1))
    }

    /// An appeal's appellant as one reader is shown them: in full when `unmasked` (the caller
    /// asks `Policy`'s `.seeAppellantContact` and logs the view), masked otherwise.
    public static func appellant(of appeal: AppealRecord, unmasked: Bool) -> (name: String, phone: String) {
        unmasked ? (appeal.appellantName, appeal.appellantPhone) : (maskName(appeal.appellantName), maskPhone(appeal.appellantPhone))
    }

    /// Whether a phone number looks like one: 5 to 20 digits, optionally with + - and spaces.
    public static func isPlausiblePhone(_ phone: String) -> Bool {
        let digits = phone.filter { $0.isASCII && $0.isNumber }
        let allowed = phone.allSatisfy { ($0.isASCII && $0.isNumber) || "+- ".contains($0) }
        return allowed && (5...20).contains(digits.count)
    }
}
