import Crypto
import FluentKit
import SQLKit
import Foundation
import WhistleCore

/// A stored photo: its content hash (the file's name on disk), type and size.
public struct StoredPhoto: Sendable, Equatable {
    public var hash: String
    public var contentType: String
    public var size: Int
}

extension Services {
    public static let photoTypes: Set<String> = ["image/jpeg", "image/png", "image/webp"]

    /// Stores a photo by its content hash: the same picture twice is one file. The file is
    /// written and synced before the row that names it is committed.
    public func storePhoto(_ data: Data, contentType: String) async throws -> StoredPhoto {
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard Self.photoTypes.contains(type) else {
            throw WhistleError("photo.unsupported_type", .unsupported, field: "Content-Type", params: ["type": type])
        }
        guard data.count <= photoLimit else {
            throw WhistleError("photo.too_large", .tooLarge, params: ["limit": String(photoLimit)])
        }
        guard !data.isEmpty else { throw WhistleError.missing("body") }
        let hash = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let path = photoPath(hash)
        if !FileManager.default.fileExists(atPath: path) {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            let temp = path + ".tmp-\(UUID().uuidString)"
            guard FileManager.default.createFile(atPath: temp, contents: data),
                  let handle = FileHandle(forWritingAtPath: temp) else {
                throw WhistleError("server.internal", .conflict)
            }
            try handle.synchronize()
            try handle.close()
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.moveItem(atPath: temp, toPath: path)
        }
        // The same picture stored before keeps its first row.
        return try await write { s in
            try await s.sql.raw("""
                INSERT INTO "photos" ("hash", "content_type", "size", "created_at")
                VALUES (\(bind: hash), \(bind: type), \(bind: data.count), \(bind: s.now)) ON CONFLICT ("hash") DO NOTHING
                """).run()
            guard let stored = try await s.photo(hash) else { throw WhistleError.notFound("photo", hash) }
            return stored
        }
    }

    /// A stored photo by its hash, or nil.
    public func photo(_ hash: String) async throws -> StoredPhoto? {
        guard let row = try await sql.raw("""
            SELECT "hash", "content_type", "size" FROM "photos" WHERE "hash" = \(bind: hash)
            """).first() else { return nil }
        return StoredPhoto(hash: try row.decode(column: "hash", as: String.self),
                           contentType: try row.decode(column: "content_type", as: String.self),
                           size: try row.decode(column: "size", as: Int.self))
    }

    public func photoPath(_ hash: String) -> String {
        "\(photoDirectory)/\(hash.prefix(2))/\(hash)"
    }

    /// Checks that every referenced photo exists.
    func checkPhotos(_ hashes: [String], field: String = "photos") async throws {
        guard !hashes.isEmpty else { return }
        guard hashes.count <= 9 else { throw WhistleError.invalid(field, "at most 9 photos", zh: "最多 9 张照片") }
        let known = Set(try await sql.raw("""
            SELECT "hash" FROM "photos" WHERE "hash" IN (\(binds: Array(Set(hashes))))
            """).all().map { try $0.decode(column: "hash", as: String.self) })
        if let missing = hashes.first(where: { !known.contains($0) }) {
            throw WhistleError.notFound("photo", missing, field: field)
        }
    }
}

extension Services {
    /// A photo is served only to someone who may see a case that holds it (an appeal's own
    /// photos, or a step's evidence on a case's timeline). A photo not yet attached to any case
    /// is served to whoever names its hash: the uploader, about to attach it.
    public func requirePhotoVisible(_ hash: String, by actor: Actor) async throws {
        // The cases that hold it (`case_photos`, looked up by photo: M034).
        var subjects = Set<UUID>()
        for row in try await sql.raw("""
            SELECT "appeal_id", "whistle_id" FROM "case_photos" WHERE "photo_id" = \(bind: hash)
            """).all() {
            if let appeal = try row.decode(column: "appeal_id", as: UUID?.self) { subjects.insert(appeal) }
            if let whistle = try row.decode(column: "whistle_id", as: UUID?.self) { subjects.insert(whistle) }
        }
        guard !subjects.isEmpty else { return }
        let paths = try await partyPaths(subjects: Array(subjects))
        for subject in subjects where Policy.allows(actor, .view(partyPaths: paths[subject] ?? [])) { return }
        throw WhistleError.notFound("photo", hash)
    }
}
