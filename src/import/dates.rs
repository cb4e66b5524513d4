//! Dates as articles write them: "August 16, 2025", "Aug. 16, 2025",
//! "16 August 2025", "2025-08-16", and ISO timestamps from page metadata.

use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

const MONTH: &str = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:(?P<m1>{MONTH})\.? (?P<d1>\d{{1,2}}),? (?P<y1>\d{{4}})|(?P<d2>\d{{1,2}}) (?P<m2>{MONTH})\.?,? (?P<y2>\d{{4}})|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}}))\b"
    ))
    .expect("the date pattern is valid")
});

/// Every date written in `text`, with its byte range.
pub fn find_dates(text: &str) -> Vec<(std::ops::Range<usize>, NaiveDate)> {
    DATE.captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let date = if let Some(iso) = c.name("iso") {
                NaiveDate::parse_from_str(iso.as_str(), "%Y-%m-%d").ok()
            } else {
                let (m, d, y) = match c.name("m1") {
                    Some(m) => (m, c.name("d1")?, c.name("y1")?),
                    None => (c.name("m2")?, c.name("d2")?, c.name("y2")?),
                };
                let month = month_number(m.as_str())?;
                NaiveDate::from_ymd_opt(y.as_str().parse().ok()?, month, d.as_str().parse().ok()?)
            }?;
            Some((whole.range(), date))
        })
        .collect()
}

/// The one date `text` states, when it states exactly one.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    match find_dates(text).as_slice() {
        [(_, date)] => Some(*date),
        _ => None,
    }
}

/// A timestamp from page metadata: `2025-08-16`, `2025-08-16T10:00:00Z`, or prose.
pub fn parse_timestamp(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    text.get(..10).and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()).or_else(|| parse_date(text))
}

fn month_number(name: &str) -> Option<u32> {
    const NAMES: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let prefix = name.get(..3)?.to_ascii_lowercase();
    NAMES.iter().position(|n| *n == prefix).map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn written_dates_parse() {
        assert_eq!(parse_date("— Michael McFaul (@McFaul) August 16, 2025"), Some(day(2025, 8, 16)));
        assert_eq!(parse_date("Published Aug. 3, 2024"), Some(day(2024, 8, 3)));
        assert_eq!(parse_date("16 September 2025"), Some(day(2025, 9, 16)));
        assert_eq!(parse_date("on 2025-02-24 at noon"), Some(day(2025, 2, 24)));
        assert_eq!(parse_date("February 30, 2025"), None);
        assert_eq!(parse_date("In May 2025 and June 2025"), None);
    }

    #[test]
    fn metadata_timestamps_parse() {
        assert_eq!(parse_timestamp("2025-08-16T10:00:00+02:00"), Some(day(2025, 8, 16)));
        assert_eq!(parse_timestamp("yesterday"), None);
    }
}
