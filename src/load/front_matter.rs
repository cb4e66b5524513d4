//! Splits a content file into its YAML front matter and Markdown body.

/// A content file cut at its `---` fences.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
}

/// Why a file has no usable front matter.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    NoOpening,
    /// The opening `---` is never closed.
    Unclosed,
}

/// Cuts `text` at its front-matter fences; a UTF-8 BOM and CRLF line ends are accepted.
pub fn split_front_matter(text: &str) -> Result<Split<'_>, SplitError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Err(SplitError::NoOpening);
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        if text[offset..end].trim_end() == "---" {
            let body_start = (end + 1).min(text.len());
            return Ok(Split { yaml: &text[yaml_start..offset], body: &text[body_start..], body_line: line + 1 });
        }
        offset = end + 1;
        line += 1;
    }
    Err(SplitError::Unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body_with_line() {
        let split = split_front_matter("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(split.yaml, "title: A\n");
        assert_eq!(split.body, "Body\n");
        assert_eq!(split.body_line, 4);
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let split = split_front_matter("\u{feff}---\r\ntitle: A\r\n---\r\nBody").unwrap();
        assert_eq!(split.yaml, "title: A\r\n");
        assert_eq!(split.body, "Body");
    }

    #[test]
    fn empty_front_matter_and_body() {
        let split = split_front_matter("---\n---\n").unwrap();
        assert_eq!(split.yaml, "");
        assert_eq!(split.body, "");
        assert_eq!(split.body_line, 3);
    }

    #[test]
    fn rejects_missing_fences() {
        assert_eq!(split_front_matter("title: A\n"), Err(SplitError::NoOpening));
        assert_eq!(split_front_matter("---\ntitle: A\n"), Err(SplitError::Unclosed));
        assert_eq!(split_front_matter(""), Err(SplitError::NoOpening));
    }

    #[test]
    fn a_dashed_rule_in_the_body_is_not_a_fence() {
        let split = split_front_matter("---\na: 1\n---\nx\n---\ny\n").unwrap();
        assert_eq!(split.body, "x\n---\ny\n");
    }
}
