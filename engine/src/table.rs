//! Stage 2 of the audit pipeline: the validated columns of an audit, stored compactly (member
//! flags as bits, ids in one text buffer, row numbers as runs, per-class columns folded into
//! their signals as they are read).

pub mod audit_table;
pub mod folded_signals;
pub mod member_flags;
pub mod row_numbers;
pub mod text_column;
