import Plot

/// A small vocabulary over Plot for the pages. Plot renders the tree; every piece of text
/// and every attribute value goes through `HTMLEscape` here first, so nothing a user typed
/// can become markup (Plot itself leaves attribute values as they are and keeps `&name;`
/// sequences in text, so pages never hand it unescaped strings).
enum HTMLEscape {
    static func text(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

/// One attribute; the value is escaped when rendered. A nil value leaves the attribute out.
struct Attr {
    var name: String
    var value: String?
    /// Boolean attributes (`checked`, `required`) render as the bare name.
    var flag = false

    static func a(_ name: String, _ value: String?) -> Attr { Attr(name: name, value: value) }
    static func cls(_ v: String) -> Attr { .a("class", v) }
    static func id(_ v: String) -> Attr { .a("id", v) }
    static func href(_ v: String) -> Attr { .a("href", v) }
    static func name(_ v: String) -> Attr { .a("name", v) }
    static func value(_ v: String?) -> Attr { .a("value", v) }
    static func type(_ v: String) -> Attr { .a("type", v) }
    static func data(_ n: String, _ v: String?) -> Attr { .a("data-" + n, v) }
    static func flag(_ n: String, _ on: Bool = true) -> Attr { Attr(name: n, value: on ? "" : nil, flag: true) }
}

/// An element with escaped attributes and child components.
struct El: Component {
    var name: String
    var attrs: [Attr]
    var children: [Component]
    var void = false

    var body: Component {
        let attributes: [Attribute<Any>] = attrs.compactMap { attr in
            guard let value = attr.value else { return nil }
            if attr.flag { return Attribute<Any>(name: attr.name, value: nil, ignoreIfValueIsEmpty: false) }
            return Attribute<Any>(name: attr.name, value: HTMLEscape.text(value), ignoreIfValueIsEmpty: false)
        }
        if void { return Node<Any>.selfClosedElement(named: name, attributes: attributes) }
        var nodes: [Node<Any>] = attributes.map { .attribute($0) }
        nodes += children.map { .component($0) }
        return Node<Any>.element(named: name, nodes: nodes)
    }
}

/// Escaped text.
struct T: Component {
    var string: String
    init(_ string: String) { self.string = string }
    var body: Component { Node<Any>.raw(HTMLEscape.text(string)) }
}

func tag(_ name: String, _ attrs: [Attr] = [], @ComponentBuilder _ content: () -> Component = { ComponentGroup(members: []) }) -> Component {
    El(name: name, attrs: attrs, children: [content()])
}
func tag(_ name: String, _ attrs: [Attr] = [], text: String) -> Component {
    El(name: name, attrs: attrs, children: [T(text)])
}
func void(_ name: String, _ attrs: [Attr]) -> Component {
    El(name: name, attrs: attrs, children: [], void: true)
}

/// `<input>`; `hidden("name", value)` for hidden fields.
func input(_ attrs: Attr...) -> Component { void("input", attrs) }
func hidden(_ name: String, _ value: String?) -> Component { void("input", [.type("hidden"), .name(name), .value(value ?? "")]) }

/// `<select>` with options (value, label); the current value is selected.
func select(_ name: String, _ options: [(String, String)], selected: String?, attrs: [Attr] = []) -> Component {
    El(name: "select", attrs: [.name(name)] + attrs, children: options.map { option in
        El(name: "option", attrs: [.value(option.0), .flag("selected", option.0 == selected)], children: [T(option.1)])
    })
}

func link(_ text: String, _ href: String, _ attrs: [Attr] = []) -> Component {
    El(name: "a", attrs: [.href(href)] + attrs, children: [T(text)])
}

func group(_ items: [Component]) -> Component { ComponentGroup(members: items) }
