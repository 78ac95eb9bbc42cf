//! Parsing the member flag: the ground truth of a membership audit.

/// The spellings accepted for "member" (in the target's training set), compared case-insensitively.
pub const MEMBER_SPELLINGS: [&str; 8] = ["1", "1.0", "true", "yes", "member", "in", "train", "y"];
/// The spellings accepted for "non-member".
pub const NONMEMBER_SPELLINGS: [&str; 10] = [
    "0",
    "0.0",
    "false",
    "no",
    "non-member",
    "nonmember",
    "non_member",
    "out",
    "test",
    "n",
];

/// Parses a member flag. Accepts 1/0, true/false, yes/no, member/non-member, in/out and train/test,
/// case-insensitively and ignoring surrounding spaces. Returns `None` for anything else.
///
/// # Examples
/// ```
/// use mia_engine::ingest::membership_label::parse_member_flag;
/// assert_eq!(parse_member_flag(" TRUE "), Some(true));
/// assert_eq!(parse_member_flag("Non-Member"), Some(false));
/// assert_eq!(parse_member_flag("test"), Some(false));
/// assert_eq!(parse_member_flag("2"), None);
/// ```
pub fn parse_member_flag(cell: &str) -> Option<bool> {
    let t = cell.trim();
    // The common spellings first, without a scan of the lists.
    match t {
        "1" => return Some(true),
        "0" => return Some(false),
        _ => {}
    }
    if MEMBER_SPELLINGS.iter().any(|s| s.eq_ignore_ascii_case(t)) {
        Some(true)
    } else if NONMEMBER_SPELLINGS
        .iter()
        .any(|s| s.eq_ignore_ascii_case(t))
    {
        Some(false)
    } else {
        None
    }
}
