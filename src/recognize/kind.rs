//! What kind of input a table is, from the set of fields its header maps to.

use super::Field;
use crate::model::InputKind;

/// Decides the kind from the fields found (`tasks`: the header has per-task score columns).
/// `None` when the fields do not add up to any known input.
/// `unmapped`: how many headings mapped to nothing (a school list with many unknown
/// columns is more likely a report shnor does not know than a registry).
pub fn detect(fields: &[Field], tasks: bool, unmapped: usize) -> Option<InputKind> {
    let has = |f: Field| fields.contains(&f);
    let any = |fs: &[Field]| fs.iter().any(|f| fields.contains(f));
    let school = any(&[Field::SchoolId, Field::SchoolName]);
    let categories = fields.iter().any(|f| matches!(f, Field::Category(_)));
    let grade_counts = fields.iter().any(|f| matches!(f, Field::GradeCount(_)));
    let scores = any(&[Field::PrimaryScore, Field::TestScore, Field::Mark]);
    let aggregates = fields.iter().any(|f| f.is_aggregate());
    if has(Field::TargetName) && any(&[Field::Base, Field::Actual, Field::TargetKey])
        || has(Field::TargetName) && fields.iter().any(|f| matches!(f, Field::Plan(_)))
    {
        return Some(InputKind::Targets);
    }
    if categories && school {
        return Some(InputKind::Passport);
    }
    if any(&[Field::Status, Field::Stage]) && (has(Field::ParticipantId) || has(Field::Score)) {
        return Some(InputKind::Olympiad);
    }
    if tasks || (scores && has(Field::ParticipantId)) {
        return Some(InputKind::Participants);
    }
    if aggregates && school {
        return Some(InputKind::Aggregates);
    }
    if school && (grade_counts || (has(Field::Grade) && has(Field::Students))) {
        return Some(InputKind::Contingent);
    }
    if scores && school {
        return Some(InputKind::Participants);
    }
    // A wrong registry would send every result to «not found»: ask for more than an id.
    let registry_fields = any(&[
        Field::Municipality,
        Field::Settlement,
        Field::Level,
        Field::Students,
        Field::Cluster,
        Field::Aliases,
        Field::Coordinator,
        Field::Phone,
    ]);
    if has(Field::SchoolId) && (registry_fields || (has(Field::SchoolName) && unmapped <= 2)) {
        return Some(InputKind::Registry);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Category;

    #[test]
    fn kinds() {
        use Field as F;
        assert_eq!(
            detect(&[F::SchoolId, F::ParticipantId, F::PrimaryScore], true, 0),
            Some(InputKind::Participants)
        );
        assert_eq!(
            detect(&[F::SchoolId, F::Grade, F::PrimaryScore], true, 0),
            Some(InputKind::Participants)
        );
        assert_eq!(
            detect(&[F::SchoolId, F::SchoolName, F::N, F::N2, F::N3], false, 0),
            Some(InputKind::Aggregates)
        );
        assert_eq!(
            detect(&[F::SchoolId, F::N, F::MeanScore, F::NFail], false, 0),
            Some(InputKind::Aggregates)
        );
        assert_eq!(
            detect(
                &[F::SchoolId, F::ParticipantId, F::Status, F::Subject],
                false,
                0
            ),
            Some(InputKind::Olympiad)
        );
        assert_eq!(
            detect(&[F::SchoolId, F::GradeCount(1), F::GradeCount(2)], false, 0),
            Some(InputKind::Contingent)
        );
        assert_eq!(
            detect(&[F::SchoolId, F::Grade, F::Students], false, 0),
            Some(InputKind::Contingent)
        );
        assert_eq!(
            detect(
                &[F::SchoolId, F::Total, F::Category(Category::Ovz)],
                false,
                0
            ),
            Some(InputKind::Passport)
        );
        assert_eq!(
            detect(&[F::TargetName, F::Base, F::Plan(2026)], false, 0),
            Some(InputKind::Targets)
        );
        assert_eq!(
            detect(
                &[F::SchoolId, F::SchoolName, F::Municipality, F::Students],
                false,
                0
            ),
            Some(InputKind::Registry)
        );
        assert_eq!(detect(&[F::Subject, F::Year], false, 0), None);
    }
}
