import FluentKit

/// Every migration, in order. Numbered files (M008 was never used); each has a revert, and
/// each runs in one transaction (`TransactionalMigration`).
public enum WhistleMigrations {
    public static let all: [any Migration] = ([
        M001_CreateOrg(), M002_CreateCatalogue(), M003_CreateAppeals(), M004_CreateWhistles(),
        M005_CreateEvents(), M006_CreateIndexes(), M007_CreateClocks(),
        M009_TaskPunctuality(), M010_RatingYears(), M011_AgencyHeads(),
        M012_ClusterSupport(), M013_MetricDays(), M014_CasePhotos(), M015_ResponderDuties(), M016_SiteVisits(), M017_Handovers(), M018_CaseCommands(), M019_Meetings(), M020_Reviews(), M021_PersonResponders(), M022_BodyDecisions(), M023_YearEndGrades(), M024_HeadAnnualGrades(), M025_WhistleReasons(),
        M026_UnitBoundaries(), M027_CalendarFeeds(), M028_ApiKeys(), M029_PublicItems(), M030_HotlineOrders(), M031_HotlineStatus(), M032_CaseLookupIndexes(), M033_ClockOwnerIndexes(), M034_CasePhotoLookup(), M035_DuplicateHintIndex(),
    ] as [any Migration]).map(TransactionalMigration.init)
}
