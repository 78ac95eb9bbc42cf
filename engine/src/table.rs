//! Stage 2 of the audit pipeline: the validated columns of an audit, stored compactly (member
//! flags as bits, ids in one text buffer, row numbers as runs, per-class columns folded into
//! their signals as they are read), and the membership signals each table gives: a signal is a
//! derived column of the table, which is why it lives here and not in the attack.

pub mod audit_table;
pub mod folded_signals;
pub mod member_flags;
pub mod row_numbers;
pub mod signal;
pub mod text_column;
