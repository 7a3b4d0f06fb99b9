import LightstreamArrow

extension ColumnPlan {
    /// The leaf type of `column` if it lies under this node.
    func leafType(_ column: Int) -> DataType? {
        switch self {
        case .leaf(let p): return p.column == column ? p.type : nil
        case .list(let p): return p.child.leafType(column)
        case .structure(let p): return p.children.lazy.compactMap { $0.leafType(column) }.first
        }
    }

    /// This plan with the leaves whose final type changes how they are decoded (64-bit offsets,
    /// dictionary indices kept) set to it; every other conversion happens after assembly.
    func retargeted(to target: DataType) -> ColumnPlan {
        switch self {
        case .leaf(var p):
            switch target {
            case .largeUtf8, .largeBinary:
                if p.type == .utf8 || p.type == .binary { p.type = target }
            case .dictionary(.int32, let value, _):
                if p.type == value || (p.type == .utf8 && value == .largeUtf8) || (p.type == .binary && value == .largeBinary)
                    || (p.type == .largeUtf8 && value == .utf8) || (p.type == .largeBinary && value == .binary) {
                    p.type = target
                }
            default: break
            }
            return .leaf(p)
        case .list(var p):
            switch target {
            case .list(let f), .largeList(let f), .fixedSizeList(let f, _): p.child = p.child.retargeted(to: f.type)
            case .map(let entries, _): p.child = p.child.retargeted(to: entries.type)
            default: break
            }
            return .list(p)
        case .structure(var p):
            if case .struct(let fields) = target, fields.count == p.children.count {
                p.children = zip(p.children, fields).map { $0.retargeted(to: $1.type) }
            }
            return .structure(p)
        }
    }

    /// This plan and its field with only the leaves in `keep` (struct members pruned; lists and
    /// maps kept whole once any leaf under them is kept); nil when nothing is kept.
    func pruned(_ field: Field, keeping keep: Set<Int>) -> (Field, ColumnPlan)? {
        let mine = Set(columns)
        if mine.isSubset(of: keep) { return (field, self) }
        if mine.isDisjoint(with: keep) { return nil }
        switch self {
        case .leaf: return nil
        case .list: return (field, self)
        case .structure(var p):
            guard case .struct(let fields) = field.type else { return (field, self) }
            var keptFields: [Field] = []
            var keptPlans: [ColumnPlan] = []
            for (child, plan) in zip(fields, p.children) {
                if let (f, q) = plan.pruned(child, keeping: keep) {
                    keptFields.append(f)
                    keptPlans.append(q)
                }
            }
            p.children = keptPlans
            p.type = .struct(keptFields)
            var f = field
            f.type = p.type
            return (f, .structure(p))
        }
    }
}
