import Plot

/// `table([...]) { thead … tbody … }`: a table whose every body cell carries its column's
/// header as `data-label`, so that below 600 px the style sheet can show each row as a card
/// with each value labelled ("街道 柳荫街道") instead of squeezing columns until Chinese text
/// breaks one character per line. Pages write their tables as before; the labels are added
/// to the rendered markup, which holds only escaped text (`HTMLEscape`), so every `<t…`
/// in it is a tag.
func table(_ attrs: [Attr] = [], @ComponentBuilder _ content: () -> Component) -> Component {
    El(name: "table", attrs: attrs, children: [RawHTML(html: TableLabels.apply(content().render()))])
}

/// Markup already rendered and escaped by these helpers.
struct RawHTML: Component {
    var html: String
    var body: Component { Node<Any>.raw(html) }
}

enum TableLabels {
    /// Adds `data-label="<header text>"` to each `<td>` after the header row, by column.
    static func apply(_ html: String) -> String {
        let bytes = Array(html.utf8)
        let labels = headers(bytes)
        guard !labels.isEmpty, let bodyStart = find(Array("</thead>".utf8), in: bytes, from: 0) else { return html }
        var out: [UInt8] = Array(bytes[..<bodyStart])
        out.reserveCapacity(bytes.count + 64 * labels.count)
        var i = bodyStart, column = 0
        let lt = UInt8(ascii: "<")
        while i < bytes.count {
            guard bytes[i] == lt else { out.append(bytes[i]); i += 1; continue }
            if isTag("tr", bytes, at: i) { column = 0 }
            if isTag("td", bytes, at: i) {
                out += Array("<td".utf8)
                if column < labels.count, !labels[column].isEmpty {
                    out += Array(" data-label=\"".utf8) + Array(labels[column].utf8) + [UInt8(ascii: "\"")]
                }
                column += 1
                i += 3
                continue
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The text of each `<th>` of the head, tags removed (still escaped: safe in an attribute).
    static func headers(_ bytes: [UInt8]) -> [String] {
        guard let start = find(Array("<thead".utf8), in: bytes, from: 0),
              let end = find(Array("</thead>".utf8), in: bytes, from: start) else { return [] }
        var labels: [String] = []
        var i = start
        while i < end {
            guard bytes[i] == UInt8(ascii: "<"), isTag("th", bytes, at: i), let open = bytes[i..<end].firstIndex(of: UInt8(ascii: ">")),
                  let close = find(Array("</th>".utf8), in: bytes, from: open) else { i += 1; continue }
            var text: [UInt8] = [], inTag = false
            for b in bytes[(open + 1)..<close] {
                if b == UInt8(ascii: "<") { inTag = true } else if b == UInt8(ascii: ">") { inTag = false } else if !inTag { text.append(b) }
            }
            labels.append(String(decoding: text, as: UTF8.self).trimmingWhitespace)
            i = close
        }
        return labels
    }

    /// `<name` followed by a space or `>` (so `<th` is not `<thead`).
    static func isTag(_ name: String, _ bytes: [UInt8], at i: Int) -> Bool {
        let n = Array(name.utf8)
        guard i + n.count + 1 < bytes.count, bytes[i] == UInt8(ascii: "<") else { return false }
        for (k, b) in n.enumerated() where bytes[i + 1 + k] != b { return false }
        let next = bytes[i + 1 + n.count]
        return next == UInt8(ascii: " ") || next == UInt8(ascii: ">")
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, bytes.count >= needle.count, from <= bytes.count - needle.count else { return nil }
        var i = from
        while i <= bytes.count - needle.count {
            if bytes[i] == needle[0], bytes[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

private extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
