import Crypto
import FluentKit
import SQLKit
import Foundation
import WhistleCore

extension Services {
    public static let photoTypes: Set<String> = ["image/jpeg", "image/png", "image/webp"]

    /// Stores a photo by its content hash: the same picture twice is one file. The file is
    /// written and synced before the row that names it is committed.
    public func storePhoto(_ data: Data, contentType: String) async throws -> PhotoModel {
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
        return try await write { s in
            if let existing = try await PhotoModel.find(hash, on: s.db) { return existing }
            let photo = PhotoModel()
            photo.id = hash
            photo.contentType = type
            photo.size = data.count
            photo.createdAt = s.now
            try await photo.create(on: s.db)
            return photo
        }
    }

    public func photoPath(_ hash: String) -> String {
        "\(photoDirectory)/\(hash.prefix(2))/\(hash)"
    }

    /// Checks that every referenced photo exists.
    func checkPhotos(_ hashes: [String], field: String = "photos") async throws {
        guard !hashes.isEmpty else { return }
        guard hashes.count <= 9 else { throw WhistleError.invalid(field, "at most 9 photos", zh: "最多 9 张照片") }
        let found = try await PhotoModel.query(on: db).filter(\.$id ~~ hashes).count()
        if found != Set(hashes).count {
            let known = Set(try await PhotoModel.query(on: db).filter(\.$id ~~ hashes).all().compactMap(\.id))
            let missing = hashes.first { !known.contains($0) } ?? "?"
            throw WhistleError.notFound("photo", missing, field: field)
        }
    }
}

extension Services {
    /// A photo is served only to someone who may see a case that holds it (an appeal's own
    /// photos, or a step's evidence on a case's timeline). A photo not yet attached to any case
    /// is served to whoever names its hash: the uploader, about to attach it.
    public func requirePhotoVisible(_ hash: String, by actor: Actor) async throws {
        let sql = db as! any SQLDatabase
        let pattern = "%\(hash)%"
        let rows = try await sql.raw("""
            SELECT "id" AS "subject" FROM "appeals" WHERE "photos" LIKE \(bind: pattern)
            UNION SELECT "appeal_id" FROM "events" WHERE "detail" LIKE \(bind: pattern) AND "appeal_id" IS NOT NULL
            UNION SELECT "whistle_id" FROM "events" WHERE "detail" LIKE \(bind: pattern) AND "whistle_id" IS NOT NULL
            """).all()
        let subjects = try rows.map { try $0.decode(column: "subject", as: UUID.self) }
        guard !subjects.isEmpty else { return }
        let paths = try await partyPaths(subjects: subjects)
        for subject in subjects where Policy.allows(actor, .view(partyPaths: paths[subject] ?? [])) { return }
        throw WhistleError.notFound("photo", hash)
    }
}
