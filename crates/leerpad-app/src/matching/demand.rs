//! Labour-market demand: import and reload.

use super::*;

impl Matching {
    /// Read the demand figures from storage (at start and after an import).
    pub async fn reload_demand(&self) -> AppResult<usize> {
        let records = self.profiles.demand().await?;
        let taxonomy = self.taxonomy.taxonomy.clone();
        let table = tokio::task::spawn_blocking(move || DemandTable::new(records, &taxonomy))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let n = table.len();
        match self.demand.write() {
            Ok(mut g) => *g = Arc::new(table),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(table),
        }
        Ok(n)
    }

    /// Check every row; store them all in one transaction only when every row is valid.
    pub fn check_demand(
        &self,
        rows: &[(u64, Result<DemandRecord, Vec<FieldError>>)],
    ) -> Vec<LineProblem> {
        let t = &self.taxonomy.taxonomy;
        let mut problems = Vec::new();
        for (line, row) in rows {
            let errors = match row {
                Ok(r) => leerpad_domain::matching::demand::validate_record(r, t, &self.regions),
                Err(e) => e.clone(),
            };
            problems.extend(
                errors
                    .into_iter()
                    .map(|error| LineProblem { line: *line, error }),
            );
        }
        problems
    }

    /// Import demand figures: all or nothing.
    pub async fn import_demand(
        &self,
        rows: Vec<(u64, Result<DemandRecord, Vec<FieldError>>)>,
    ) -> Result<u64, Vec<LineProblem>> {
        let problems = self.check_demand(&rows);
        if !problems.is_empty() {
            return Err(problems);
        }
        let records: Vec<DemandRecord> = rows.into_iter().filter_map(|(_, r)| r.ok()).collect();
        let internal = |e: AppError| {
            vec![LineProblem {
                line: 0,
                error: FieldError::new("file", e.to_string()),
            }]
        };
        let written = self
            .profiles
            .save_demand(&records, self.clock.now())
            .await
            .map_err(|e| internal(e.into()))?;
        self.reload_demand().await.map_err(internal)?;
        Ok(written)
    }
}
