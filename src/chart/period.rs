//! Time buckets for charts: weeks, months or years, chosen by the span of the
//! archive's dates so that a chart has a readable number of bars. Every
//! chart of a site uses the same buckets, so charts can be compared.

use chrono::{Datelike, Days, NaiveDate};

/// The size of one bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    Week,
    Month,
    Year,
}

impl Granularity {
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Week => "week",
            Granularity::Month => "month",
            Granularity::Year => "year",
        }
    }
}

/// Fewer months than this are shown week by week.
const MIN_MONTHS: i32 = 4;
/// More months than this are shown year by year.
const MAX_MONTHS: i32 = 120;

/// One bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// Path segment of the period's page: `2025-08`, `2025-W33` or `2025`.
    pub key: String,
    /// `August 2025`, `Week of 11 August 2025` or `2025`.
    pub label: String,
    /// Axis label: `Aug`, `11 Aug` or `2025`.
    pub short: String,
    pub start: NaiveDate,
}

/// Every bucket from the oldest dated briefing's to the newest's, empty ones
/// included so that the time axis is even.
#[derive(Debug, Clone)]
pub struct Periods {
    pub granularity: Granularity,
    pub periods: Vec<Period>,
}

impl Periods {
    /// The buckets spanning `dates`; `None` when there are no dates.
    pub fn spanning(dates: impl IntoIterator<Item = NaiveDate>) -> Option<Periods> {
        let (first, last) = dates.into_iter().fold(None, |span: Option<(NaiveDate, NaiveDate)>, d| match span {
            None => Some((d, d)),
            Some((a, b)) => Some((a.min(d), b.max(d))),
        })?;
        let months = month_number(last) - month_number(first) + 1;
        let granularity = if months < MIN_MONTHS {
            Granularity::Week
        } else if months > MAX_MONTHS {
            Granularity::Year
        } else {
            Granularity::Month
        };
        let mut periods = Vec::new();
        let mut start = period_start(granularity, first);
        while start <= last {
            periods.push(period(granularity, start));
            start = next_start(granularity, start);
        }
        Some(Periods { granularity, periods })
    }

    /// The bucket holding `date`, which must lie within the span.
    pub fn index_of(&self, date: NaiveDate) -> usize {
        let first = self.periods[0].start;
        let index = match self.granularity {
            Granularity::Week => (period_start(Granularity::Week, date) - first).num_days() / 7,
            Granularity::Month => i64::from(month_number(date) - month_number(first)),
            Granularity::Year => i64::from(date.year() - first.year()),
        };
        usize::try_from(index).expect("dates lie within the span")
    }

    /// How many of `dates` fall in each bucket; undated ones are not counted.
    pub fn count(&self, dates: impl IntoIterator<Item = Option<NaiveDate>>) -> Vec<usize> {
        let mut counts = vec![0; self.periods.len()];
        for date in dates.into_iter().flatten() {
            counts[self.index_of(date)] += 1;
        }
        counts
    }
}

fn month_number(date: NaiveDate) -> i32 {
    date.year() * 12 + date.month0() as i32
}

fn period_start(granularity: Granularity, date: NaiveDate) -> NaiveDate {
    match granularity {
        Granularity::Week => date - Days::new(u64::from(date.weekday().num_days_from_monday())),
        Granularity::Month => date.with_day(1).expect("every month has a first day"),
        Granularity::Year => NaiveDate::from_ymd_opt(date.year(), 1, 1).expect("every year has a first day"),
    }
}

fn next_start(granularity: Granularity, start: NaiveDate) -> NaiveDate {
    match granularity {
        Granularity::Week => start + Days::new(7),
        Granularity::Month => start.checked_add_months(chrono::Months::new(1)).expect("dates stay in range"),
        Granularity::Year => NaiveDate::from_ymd_opt(start.year() + 1, 1, 1).expect("dates stay in range"),
    }
}

fn period(granularity: Granularity, start: NaiveDate) -> Period {
    let (key, label, short) = match granularity {
        Granularity::Week => (
            start.format("%G-W%V").to_string(),
            start.format("Week of %-d %B %Y").to_string(),
            start.format("%-d %b").to_string(),
        ),
        Granularity::Month => {
            (start.format("%Y-%m").to_string(), start.format("%B %Y").to_string(), start.format("%b").to_string())
        }
        Granularity::Year => {
            let year = start.year().to_string();
            (year.clone(), year.clone(), year)
        }
    };
    Period { key, label, short, start }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn granularity_follows_the_span() {
        let weeks = Periods::spanning([day(2025, 8, 16), day(2025, 8, 1)]).unwrap();
        assert_eq!(weeks.granularity, Granularity::Week);
        assert_eq!(weeks.periods[0].key, "2025-W31");
        assert_eq!(weeks.periods[0].label, "Week of 28 July 2025");
        assert_eq!(weeks.periods.len(), 3);
        assert_eq!(weeks.index_of(day(2025, 8, 16)), 2);

        let months = Periods::spanning([day(2024, 11, 30), day(2025, 3, 1)]).unwrap();
        assert_eq!(months.granularity, Granularity::Month);
        let keys: Vec<&str> = months.periods.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["2024-11", "2024-12", "2025-01", "2025-02", "2025-03"]);
        assert_eq!(months.index_of(day(2025, 1, 31)), 2);

        let years = Periods::spanning([day(2010, 5, 1), day(2025, 1, 1)]).unwrap();
        assert_eq!(years.granularity, Granularity::Year);
        assert_eq!(years.periods.len(), 16);
        assert!(Periods::spanning([]).is_none());
    }

    #[test]
    fn counts_skip_undated_and_keep_empty_buckets() {
        let dates = [Some(day(2025, 1, 5)), None, Some(day(2025, 4, 2)), Some(day(2025, 1, 20))];
        let periods = Periods::spanning(dates.iter().flatten().copied()).unwrap();
        assert_eq!(periods.count(dates), vec![2, 0, 0, 1]);
    }
}
