/// A small RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM.
/// Each record keeps the line it started on so that import errors can name it.
public struct CSVRecord: Sendable, Equatable {
    public var line: Int
    public var fields: [String]
}

public enum CSV {
    public static func parse(_ text: String) throws -> [CSVRecord] {
        var records: [CSVRecord] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var quotedRecord = false
        var line = 1
        var recordLine = 1
        var chars = Array(text.unicodeScalars)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var i = 0
        func endRecord() {
            fields.append(field)
            field = ""
            if !(fields.count == 1 && fields[0].isEmpty) || quotedRecord {
                records.append(CSVRecord(line: recordLine, fields: fields))
            }
            fields = []
            quotedRecord = false
        }
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.unicodeScalars.append("\""); i += 1 }
                    else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else {
                switch c {
                case "\"" where field.isEmpty: inQuotes = true; quotedRecord = true
                case ",": fields.append(field); field = ""
                case "\r": break
                case "\n": endRecord(); line += 1; recordLine = line
                default: field.unicodeScalars.append(c)
                }
            }
            i += 1
        }
        if inQuotes {
            throw WhistleError("import.invalid", .invalid, field: "csv",
                               params: ["line": String(recordLine), "reason": "unterminated quoted field"])
        }
        if !field.isEmpty || !fields.isEmpty || quotedRecord { endRecord() }
        return records
    }

    public static func escape(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: { ",\"\n\r".unicodeScalars.contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Lossless: `parse(render(t)) == t`. For files meant to be read back by a program.
    public static func render(header: [String], rows: [[String]]) -> String {
        // A row of one empty field would read back as a blank line: write it as "".
        ([header] + rows).map { $0 == [""] ? "\"\"" : $0.map(escape).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// For downloads a person opens in a spreadsheet: every cell `neutralised`.
    public static func export(header: [String], rows: [[String]]) -> String {
        render(header: header.map(neutralised), rows: rows.map { $0.map(neutralised) })
    }

    /// A cell a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab
    /// or a carriage return: "=HYPERLINK(…)" typed into an appeal) gets a leading `'`, which
    /// spreadsheets show as text; plain numbers ("-3", "+86") are left as they are.
    public static func neutralised(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return cell }
        if Double(cell) != nil, first != "=", first != "@" { return cell }
        return "'" + cell
    }

    /// Reads a header-led table into dictionaries keyed by column, checking required columns.
    public static func table(_ text: String, required: [String]) throws -> [(line: Int, values: [String: String])] {
        let records = try parse(text)
        guard let header = records.first else { return [] }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for column in required where !names.contains(column) {
            throw ImportError.at(line: header.line, field: column, "missing column")
        }
        return records.dropFirst().map { record in
            var values: [String: String] = [:]
            for (index, name) in names.enumerated() where index < record.fields.count {
                values[name] = record.fields[index].trimmingCharacters(in: .whitespaces)
            }
            return (record.line, values)
        }
    }
}

public enum ImportError {
    public static func at(line: Int, field: String, _ reason: String) -> WhistleError {
        WhistleError("import.invalid", .invalid, field: field, params: ["line": String(line), "reason": reason])
    }
}
