//! Columns: the records' values at a JSON Pointer, without parsing the records into a
//! document. Computed once per path and kind, and kept by the search.

use super::Search;
use crate::api::records::columns::{Column, ColumnKind, TextCell};
use crate::error::Result;
use std::borrow::Cow;

impl Search {
    /// The numbers at the JSON Pointer `path` (RFC 6901, e.g. `/min_distance` or
    /// `/data_sources/0/identifier`) in each record, in record order: true and false as 1
    /// and 0, NaN where the value is null, missing or not a number. Never blocks.
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT` for a path that does not start with `/`;
    /// `AURORAX_ERR_NOT_READY` before the result is in memory; the failure's status after
    /// a failure or cancel.
    pub fn column_f64(&self, path: &str) -> Result<Vec<f64>> {
        let (column, _) = self.column(path, ColumnKind::Numbers)?;
        Ok(match column.as_ref() {
            Column::Numbers(values) => values.clone(),
            _ => Vec::new(),
        })
    }

    /// The strings at `path` in each record, unescaped; `None` where the value is null,
    /// missing or not a string. Strings without escapes are borrowed from the result.
    ///
    /// # Errors
    /// As [`Search::column_f64`].
    pub fn column_text(&self, path: &str) -> Result<Vec<Option<Cow<'_, str>>>> {
        let (column, data) = self.column(path, ColumnKind::Texts)?;
        let Column::Texts(cells) = column.as_ref() else {
            return Ok(Vec::new());
        };
        Ok(cells
            .iter()
            .map(|cell| match cell {
                Some(TextCell::Slice(start, len)) => slice(data, *start, *len).map(Cow::Borrowed),
                Some(TextCell::Owned(text)) => Some(Cow::Owned(text.clone())),
                None => None,
            })
            .collect())
    }

    /// Each record's value at `path` as its JSON text (a slice of [`Search::data`]);
    /// `None` where it is missing.
    ///
    /// # Errors
    /// As [`Search::column_f64`].
    pub fn column_json(&self, path: &str) -> Result<Vec<Option<&str>>> {
        let (column, data) = self.column(path, ColumnKind::Json)?;
        let Column::Json(cells) = column.as_ref() else {
            return Ok(Vec::new());
        };
        Ok(cells
            .iter()
            .map(|cell| cell.and_then(|(start, len)| slice(data, start, len)))
            .collect())
    }
}

/// A cell's text: checked as UTF-8 on its own (a cell's length, not the whole result's).
fn slice(data: &[u8], start: usize, len: usize) -> Option<&str> {
    std::str::from_utf8(data.get(start..start.checked_add(len)?)?).ok()
}
