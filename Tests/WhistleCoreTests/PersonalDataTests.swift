import Foundation
import Testing
@testable import WhistleCore

struct PersonalDataTests {
    static let phoneMasks: [(String, String)] = [
        ("13812345678", "138****5678"),
        ("+8613812345678", "+86****5678"),
        ("123456", "****56"),
        ("12345", "***45"),
        ("12", "12"),
        ("1", "1"),
        ("", ""),
    ]

    @Test(arguments: phoneMasks)
    func maskPhone(phone: String, masked: String) {
        #expect(PersonalData.maskPhone(phone) == masked)
    }

    /// A mask must hide something: of any plausible number (5–20 digits) at least
    /// min(4, length − 2) digits are replaced, as the 11-digit mobile form hides 4.
    /// Exposes a bug for 7–10 digit numbers (landlines): "1234567" is shown whole as
    /// "123****4567", an 8-digit Beijing landline keeps 7 of its 8 digits.
    @Test(arguments: 5...20)
    func maskPhoneHidesDigits(length: Int) {
        let phone = String((0..<length).map { Character(String(($0 * 7 + 3) % 10)) })
        let masked = PersonalData.maskPhone(phone)
        let shown = masked.filter(\.isNumber).count
        #expect(length - shown >= min(4, length - 2), "\(phone) → \(masked)")
    }

    @Test func maskPhoneKeepsTheEnds() {
        let masked = PersonalData.maskPhone("13912340000")
        #expect(masked.hasPrefix("139") && masked.hasSuffix("0000"))
        #expect(!masked.contains("1234"))
    }

    static let names: [(String, String)] = [
        ("张三", "张*"), ("欧阳娜娜", "欧***"), ("张", "张*"), ("", ""), ("Li Lei", "L*****"),
    ]

    @Test(arguments: names)
    func maskName(name: String, masked: String) {
        #expect(PersonalData.maskName(name) == masked)
    }

    @Test(arguments: ["13812345678", "+86 138-1234-5678", "010-65123456", "12345", "12345678901234567890", "+86 10 6512 3456"])
    func plausiblePhones(phone: String) {
        #expect(PersonalData.isPlausiblePhone(phone))
    }

    @Test(arguments: ["", "1234", "123456789012345678901", "138a2345678", "(010)65123456", "+-- -",
                      "12345#", "1380013800\n", "138.1234.5678"])
    func implausiblePhones(phone: String) {
        #expect(!PersonalData.isPlausiblePhone(phone))
    }

    /// Only decimal digits make a phone number. Exposes a bug: `Character.isNumber` also
    /// accepts Chinese numerals, vulgar fractions, Roman numerals and superscripts.
    @Test(arguments: ["五五五五五", "½½½½½", "ⅫⅫⅫⅫⅫ", "²²²²²", "一三八一二三四五六七八"])
    func nonDigitNumeralsAreNotPhones(phone: String) {
        #expect(!PersonalData.isPlausiblePhone(phone))
    }

    @Test func anAppellantIsShownInFullOnlyWhenUnmasked() {
        let appeal = AppealRecord(id: AppealID(UUID()), number: "A1", trackingCode: "X", districtID: UUID(), receivingUnitID: UUID(),
                                  channel: .hotline12345, appellantName: "王小明", appellantPhone: "13812345678", gridID: nil,
                                  address: "幸福路", lat: nil, lon: nil, description: "占道", itemID: nil, urgency: .normal,
                                  state: .received, dueAt: nil, photos: [], createdAt: Date(timeIntervalSince1970: 0), createdBy: nil)
        #expect(PersonalData.appellant(of: appeal, unmasked: true) == ("王小明", "13812345678"))
        #expect(PersonalData.appellant(of: appeal, unmasked: false) == ("王**", "138****5678"))
    }
}
