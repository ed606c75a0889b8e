//! `shnor explain`: the whole calculation for one school as Russian text, step by step, so an
//! analyst can check every number by hand. Pure: findings + school + config → text.
