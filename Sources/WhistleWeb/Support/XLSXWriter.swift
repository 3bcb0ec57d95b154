import Foundation

/// A minimal Office Open XML workbook: one sheet per table, inline strings and numbers,
/// packed in a zip of stored (uncompressed) entries with CRC-32. Spreadsheet programs open
/// it; the tests read it back.
enum XLSXWriter {
    enum Cell: Equatable { case text(String), number(Double), empty }

    static func workbook(sheets: [(name: String, rows: [[Cell]])]) -> Data {
        var files: [(String, Data)] = []
        let sheetOverrides = sheets.indices.map {
            "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        files.append(("[Content_Types].xml", xml("""
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            \(sheetOverrides)</Types>
            """)))
        files.append(("_rels/.rels", xml("""
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """)))
        let sheetList = sheets.enumerated().map { i, sheet in
            "<sheet name=\"\(escape(String(sheet.name.prefix(31))))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
        }.joined()
        files.append(("xl/workbook.xml", xml("""
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\(sheetList)</sheets></workbook>
            """)))
        let rels = sheets.indices.map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }.joined()
        files.append(("xl/_rels/workbook.xml.rels", xml("""
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(rels)</Relationships>
            """)))
        for (i, sheet) in sheets.enumerated() {
            let rows = sheet.rows.enumerated().map { r, cells in
                let body = cells.enumerated().map { c, cell -> String in
                    let ref = column(c) + String(r + 1)
                    switch cell {
                    case .text(let s): return "<c r=\"\(ref)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escape(s))</t></is></c>"
                    case .number(let n): return "<c r=\"\(ref)\"><v>\(n.isFinite ? String(n) : "0")</v></c>"
                    case .empty: return ""
                    }
                }.joined()
                return "<row r=\"\(r + 1)\">\(body)</row>"
            }.joined()
            files.append(("xl/worksheets/sheet\(i + 1).xml", xml("""
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\(rows)</sheetData></worksheet>
                """)))
        }
        return Zip.stored(files)
    }

    /// "A", …, "Z", "AA", …
    static func column(_ index: Int) -> String {
        var n = index + 1, name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + r))) + name
            n = (n - 1) / 26
        }
        return name
    }

    static func xml(_ body: String) -> Data { Data(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n" + body).utf8) }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            // Characters XML 1.0 forbids are dropped.
            case _ where ch.value < 0x20 && ch != "\t" && ch != "\n" && ch != "\r": continue
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}

/// A zip archive of stored entries (method 0), the format's simplest valid form.
enum Zip {
    static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ data: Data) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in data { c = crcTable[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    static func stored(_ files: [(String, Data)]) -> Data {
        var out = Data(), central = Data()
        func u16(_ v: Int, _ d: inout Data) { d.append(UInt8(v & 0xFF)); d.append(UInt8((v >> 8) & 0xFF)) }
        func u32(_ v: UInt32, _ d: inout Data) { for s in [0, 8, 16, 24] { d.append(UInt8((v >> UInt32(s)) & 0xFF)) } }
        // 1980-01-01 00:00, the DOS epoch: a fixed time keeps the output reproducible.
        let (dosTime, dosDate) = (0, (0 << 9) | (1 << 5) | 1)
        for (name, data) in files {
            let nameBytes = Data(name.utf8), crc = crc32(data), offset = UInt32(out.count)
            u32(0x0403_4B50, &out); u16(20, &out); u16(0x0800, &out); u16(0, &out); u16(dosTime, &out); u16(dosDate, &out)
            u32(crc, &out); u32(UInt32(data.count), &out); u32(UInt32(data.count), &out)
            u16(nameBytes.count, &out); u16(0, &out); out.append(nameBytes); out.append(data)
            u32(0x0201_4B50, &central); u16(20, &central); u16(20, &central); u16(0x0800, &central); u16(0, &central)
            u16(dosTime, &central); u16(dosDate, &central); u32(crc, &central); u32(UInt32(data.count), &central)
            u32(UInt32(data.count), &central); u16(nameBytes.count, &central); u16(0, &central); u16(0, &central)
            u16(0, &central); u16(0, &central); u32(0, &central); u32(offset, &central); central.append(nameBytes)
        }
        let centralOffset = UInt32(out.count)
        out.append(central)
        u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(files.count, &out); u16(files.count, &out)
        u32(UInt32(central.count), &out); u32(centralOffset, &out); u16(0, &out)
        return out
    }
}
