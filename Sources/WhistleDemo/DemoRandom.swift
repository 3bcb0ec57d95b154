import Foundation
import WhistleCore
import WhistleStore

/// The demo's dice: one shared generator with the draws the generator needs.
final class DemoDice {
    private var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    /// A uniform value in [0, 1).
    func unit() -> Double { Double(generator.next() >> 11) / Double(1 << 53) }

    func chance(_ probability: Double) -> Bool { unit() < probability }

    func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(generator.next() % UInt64(range.count))
    }

    func pick<T>(_ values: [T]) -> T { values[Int(generator.next() % UInt64(values.count))] }

    func weighted<T>(_ values: [(T, Double)]) -> T {
        let total = values.reduce(0) { $0 + $1.1 }
        var roll = unit() * total
        for (value, weight) in values {
            roll -= weight
            if roll < 0 { return value }
        }
        return values[values.count - 1].0
    }

    /// Minutes as seconds, uniformly between the bounds.
    func minutes(_ low: Double, _ high: Double) -> TimeInterval { uniform(low, high) * 60 }
    func hours(_ low: Double, _ high: Double) -> TimeInterval { uniform(low, high) * 3600 }
    func days(_ low: Double, _ high: Double) -> TimeInterval { uniform(low, high) * 86_400 }

    // MARK: People

    static let surnames = Array("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
    static let givenChars = Array("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰玉华建国文红云志海燕春晓东亮晨宇欣怡子涵浩然雨婷佳琪思远嘉俊梓萱博文婉清立新淑珍凤英德胜宝山振华")

    func personName() -> String {
        let surname = pick(Self.surnames)
        let first = pick(Self.givenChars)
        return chance(0.55) ? "\(surname)\(first)\(pick(Self.givenChars))" : "\(surname)\(first)"
    }

    func phone() -> String {
        let prefix = pick(["130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                           "158", "159", "176", "177", "180", "182", "185", "186", "187", "188", "189", "199"])
        return prefix + String(format: "%08d", int(0...99_999_999))
    }
}
