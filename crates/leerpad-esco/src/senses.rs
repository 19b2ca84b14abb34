//! The word and occupation vectors shipped beside the taxonomy (`data/esco/word-senses.bin.gz`,
//! written by `data/esco/word_senses.py`): gzip of a magic line, then little-endian
//! `u32 dims, u32 words, u32 occupations`, each word and each occupation URI as `u16` byte
//! length + UTF-8, one `f32` scale per row, and `dims` `i8` values per row.

use flate2::read::GzDecoder;
use leerpad_domain::taxonomy::senses::SensesData;
use std::io::Read;

const MAGIC: &[u8] = b"LEERPAD-SENSES-1\n";

static BUNDLED: &[u8] = include_bytes!("../../../data/esco/word-senses.bin.gz");

#[derive(Debug, thiserror::Error)]
pub enum SensesError {
    #[error("not a Leerpad word-senses file (wrong header)")]
    NotSenses,
    #[error("word-senses file is corrupt: {0}")]
    Corrupt(String),
}

/// A cursor over the unpacked bytes that names what it was reading when they ran out.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], SensesError> {
        if self.bytes.len() < n {
            return Err(SensesError::Corrupt(format!("ends inside {what}")));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn u32(&mut self, what: &str) -> Result<usize, SensesError> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }

    fn text(&mut self, what: &str) -> Result<String, SensesError> {
        let b = self.take(2, what)?;
        let len = u16::from_le_bytes([b[0], b[1]]) as usize;
        let raw = self.take(len, what)?;
        String::from_utf8(raw.to_vec())
            .map_err(|_| SensesError::Corrupt(format!("{what} is not UTF-8")))
    }
}

pub fn unpack_senses(bytes: &[u8]) -> Result<SensesData, SensesError> {
    let mut raw = Vec::new();
    GzDecoder::new(bytes)
        .read_to_end(&mut raw)
        .map_err(|e| SensesError::Corrupt(e.to_string()))?;
    let body = raw.strip_prefix(MAGIC).ok_or(SensesError::NotSenses)?;
    let mut r = Reader { bytes: body };
    let dims = r.u32("the header")?;
    let words = r.u32("the header")?;
    let occupations = r.u32("the header")?;
    let rows = words + occupations;
    if dims == 0 || dims > 4096 || rows.saturating_mul(dims) > body.len() {
        return Err(SensesError::Corrupt(format!(
            "{rows} rows of {dims} values do not fit in {} bytes",
            body.len()
        )));
    }
    let words = (0..words)
        .map(|i| r.text(&format!("word {i}")))
        .collect::<Result<Vec<_>, _>>()?;
    let occupations = (0..occupations)
        .map(|i| r.text(&format!("occupation {i}")))
        .collect::<Result<Vec<_>, _>>()?;
    let scales = r
        .take(rows * 4, "the scales")?
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let values = r
        .take(rows * dims, "the values")?
        .iter()
        .map(|&b| b as i8)
        .collect();
    if !r.bytes.is_empty() {
        return Err(SensesError::Corrupt(format!(
            "{} bytes after the last row",
            r.bytes.len()
        )));
    }
    Ok(SensesData {
        dims,
        words,
        occupations,
        scales,
        values,
    })
}

/// The vectors compiled into the binary, for the bundled taxonomy.
pub fn bundled_senses() -> Result<SensesData, SensesError> {
    unpack_senses(BUNDLED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_vectors_read_whole() {
        let data = bundled_senses().expect("bundled word senses");
        assert!(data.dims >= 32, "{} dims", data.dims);
        assert!(data.words.len() > 10_000, "{} words", data.words.len());
        assert!(
            data.occupations.len() > 3_000,
            "{} occupations",
            data.occupations.len()
        );
        let rows = data.words.len() + data.occupations.len();
        assert_eq!(data.scales.len(), rows);
        assert_eq!(data.values.len(), rows * data.dims);
        assert!(data.words.iter().any(|w| w == "juf"));
    }

    #[test]
    fn a_cut_file_names_what_it_was_reading() {
        let full = {
            let mut raw = Vec::new();
            GzDecoder::new(BUNDLED)
                .read_to_end(&mut raw)
                .expect("gunzip");
            raw
        };
        let gzip = |bytes: &[u8]| {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            std::io::Write::write_all(&mut gz, bytes).expect("write");
            gz.finish().expect("finish")
        };
        // Cut in the last row: the values run out.
        let err = unpack_senses(&gzip(&full[..full.len() - 10])).expect_err("a cut file");
        assert!(err.to_string().contains("ends inside the values"), "{err}");
        // Cut in half: the header promises more rows than there are bytes.
        let err = unpack_senses(&gzip(&full[..full.len() / 2])).expect_err("a cut file");
        assert!(err.to_string().contains("do not fit"), "{err}");
        assert!(matches!(
            unpack_senses(BUNDLED.get(..0).unwrap_or_default()),
            Err(SensesError::Corrupt(_) | SensesError::NotSenses)
        ));
    }
}
