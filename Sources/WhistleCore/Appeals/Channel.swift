/// Where an appeal came from.
public enum Channel: String, Codable, CaseIterable, Sendable {
    case hotline12345
    case hotline12348        // legal aid
    case hotline12338        // women's rights
    case hotline96105        // online interaction platform
    case leadersMailbox      // the leaders' mailbox
    case districtAssignment  // assigned by the district committee and government
    case sectionDaily        // found in a street section's daily work
    case petition            // letters and visits
    case commandVideo        // the command centre's video surveillance
    case streetChiefPatrol   // a street chief's patrol
    case gridWorker          // reported by a grid worker
    case emergency           // a sudden incident
    case enterprise          // an enterprise's appeal
    case citizenOnline       // submitted online by a resident
    case other

    public var nameZh: String {
        switch self {
        case .hotline12345: "12345热线"
        case .hotline12348: "12348法律服务热线"
        case .hotline12338: "12338妇女维权热线"
        case .hotline96105: "96105网络问政"
        case .leadersMailbox: "领导信箱"
        case .districtAssignment: "区委区政府交办"
        case .sectionDaily: "科室日常发现"
        case .petition: "信访"
        case .commandVideo: "指挥中心视频"
        case .streetChiefPatrol: "街巷长巡查"
        case .gridWorker: "网格员上报"
        case .emergency: "突发事件"
        case .enterprise: "企业诉求"
        case .citizenOnline: "居民网上提交"
        case .other: "其他"
        }
    }
}
