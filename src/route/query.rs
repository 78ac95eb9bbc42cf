//! A link's query string as key-value pairs: parsed and written as `application/x-www-form-urlencoded`
//! (what the browser's `URLSearchParams` reads and writes), in plain Rust so it is tested natively.

use super::claim::CLAIM_KEYS;
use super::view::View;

/// The pairs of a query string, in order (a repeated key: the first value counts, as
/// `URLSearchParams.get` does).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// Parses `a=1&b=x+y` (a leading `?` is skipped; `+` is a space, `%XX` a byte).
    pub fn parse(search: &str) -> Query {
        let search = search.strip_prefix('?').unwrap_or(search);
        let pairs = search
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect();
        Query { pairs }
    }

    /// The first value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Controls hidden for a guided exercise: the names of `NAME_hide=true`.
    pub fn hidden(&self) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(_, v)| v == "true")
            .filter_map(|(k, _)| k.strip_suffix("_hide").map(str::to_string))
            .collect()
    }

    /// The DP claim's pairs, which stay in the link whatever view writes it.
    pub fn claim_pairs(&self) -> Vec<(String, String)> {
        CLAIM_KEYS
            .iter()
            .filter_map(|k| self.get(k).map(|v| (k.to_string(), v.to_string())))
            .collect()
    }

    /// The query string for `view` and its `pairs`, then `carried` pairs the view does not set
    /// itself (hidden controls, the DP claim). An empty claim value removes the claim.
    pub fn encode(view: View, pairs: &[(&str, String)], carried: &[(String, String)]) -> String {
        let mut out: Vec<(String, String)> = vec![("view".into(), view.key().into())];
        let mut set = |k: &str, v: &str| match out.iter_mut().find(|(key, _)| key == k) {
            Some(slot) => slot.1 = v.to_string(),
            None => out.push((k.to_string(), v.to_string())),
        };
        for (k, v) in pairs {
            if !(v.is_empty() && CLAIM_KEYS.contains(k)) {
                set(k, v);
            }
        }
        for (k, v) in carried {
            if !pairs.iter().any(|(p, _)| p == k) {
                set(k, v);
            }
        }
        out.iter()
            .map(|(k, v)| format!("{}={}", encode_value(k), encode_value(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                Some(x) => {
                    out.push(x);
                    i += 2;
                }
                None => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `URLSearchParams`'s serializer: ASCII letters, digits and `*-._` as they are, space as `+`,
/// every other byte as `%XX`.
pub fn encode_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s.as_bytes() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(c as char)
            }
            b' ' => out.push('+'),
            c => out.push_str(&format!("%{c:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_encodes_as_url_search_params_does() {
        let q = Query::parse("?a=x+y%2Fz&b=&c&a=second&bad=%zz&end=%4");
        assert_eq!(q.get("a"), Some("x y/z"));
        assert_eq!(q.get("b"), Some(""));
        assert_eq!(q.get("c"), Some(""));
        assert_eq!(q.get("bad"), Some("%zz"));
        assert_eq!(q.get("end"), Some("%4"));
        assert_eq!(encode_value("x y/z*-._é"), "x+y%2Fz*-._%C3%A9");
    }

    #[test]
    fn encode_keeps_hidden_controls_and_the_claim_unless_the_view_sets_them() {
        let q = Query::parse("view=simulator&gap_hide=true&claim_epsilon=2&claim_delta=1e-5");
        let mut carried: Vec<(String, String)> = q
            .hidden()
            .into_iter()
            .map(|h| (format!("{h}_hide"), "true".into()))
            .collect();
        carried.extend(q.claim_pairs());
        assert_eq!(
            Query::encode(View::Simulator, &[("gap", "0.1".into())], &carried),
            "view=simulator&gap=0.1&gap_hide=true&claim_epsilon=2&claim_delta=1e-5"
        );
        // The DP view sets the claim itself; an empty value removes it.
        let pairs = [
            ("claim_epsilon", String::new()),
            ("claim_delta", String::new()),
        ];
        assert_eq!(
            Query::encode(View::Dp, &pairs, &carried),
            "view=dp&gap_hide=true"
        );
    }
}
