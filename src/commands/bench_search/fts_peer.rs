//! PostgreSQL full-text search over the same offers, as the peer that `leerpad bench search`
//! compares the search index with. Not used by the product: it is what a team would build with
//! PostgreSQL alone (`to_tsvector('dutch', …)` in a generated column, a GIN index, `ts_rank`,
//! filters as `WHERE` clauses and facet counts with `GROUP BY GROUPING SETS`), given its best
//! shot: one statement for the results, one for all scalar facets, one for the list facets.

use leerpad_domain::catalogue::search::{
    FACET_LANGUAGES, IndexedOffer, LoadBand, OfferQuery, PriceBand, SortOrder,
};
use leerpad_domain::shared::{Date, iso_date_option};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Arguments, Row};
use std::str::FromStr;

#[derive(Debug, thiserror::Error)]
#[error("PostgreSQL full-text peer: {0}")]
pub struct PeerError(String);

fn err(e: impl std::fmt::Display) -> PeerError {
    PeerError(e.to_string())
}

/// The peer's table in a schema of its own.
#[derive(Debug, Clone)]
pub struct PgFtsPeer {
    pool: PgPool,
    schema: String,
}

/// What one search returned: total, the ids shown and how many facet values were counted.
#[derive(Debug, Clone, Default)]
pub struct PeerResult {
    pub total: i64,
    pub ids: Vec<i64>,
    pub facet_values: usize,
}

fn csv_array(values: &[String]) -> String {
    let quoted: Vec<String> = values
        .iter()
        .map(|v| format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    format!("{{{}}}", quoted.join(","))
}

impl PgFtsPeer {
    /// Connect and create the table (dropping an earlier one) in `schema`.
    pub async fn create(url: &str, schema: &str) -> Result<PgFtsPeer, PeerError> {
        if !schema
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
            || schema.is_empty()
        {
            return Err(err("schema name: letters, digits and '_' only"));
        }
        let opts = PgConnectOptions::from_str(url).map_err(err)?;
        let admin = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(opts.clone())
            .await
            .map_err(err)?;
        sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
            .execute(&admin)
            .await
            .map_err(err)?;
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&admin)
            .await
            .map_err(err)?;
        admin.close().await;
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .connect_with(opts.options([("search_path", schema)]))
            .await
            .map_err(err)?;
        sqlx::query(
            "CREATE TABLE bench_offers (
                id bigint PRIMARY KEY, title text, body text, skills text,
                kind text, level text, modality text, provinces text[], regions text[],
                price bigint, price_band text, load_band text, credential text,
                languages text[], starts date[], published boolean,
                tsv tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('dutch', coalesce(title, '')), 'A') ||
                    setweight(to_tsvector('dutch', coalesce(skills, '')), 'B') ||
                    setweight(to_tsvector('dutch', coalesce(body, '')), 'C')) STORED)",
        )
        .execute(&pool)
        .await
        .map_err(err)?;
        Ok(PgFtsPeer {
            pool,
            schema: schema.to_owned(),
        })
    }

    /// Load offers with `COPY` (call [`PgFtsPeer::finish_load`] after the last batch).
    pub async fn load(&self, offers: &[IndexedOffer]) -> Result<(), PeerError> {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        for o in offers {
            let title = format!("{} {}", o.title.nl, o.title.en);
            let body = format!(
                "{} {} {} {}",
                o.summary.nl, o.description.nl, o.summary.en, o.description.en
            );
            let skills: Vec<&str> = o.skill_labels.iter().map(|(_, l)| l.as_str()).collect();
            let starts: Vec<String> = o
                .starts
                .iter()
                .map(|d| iso_date_option::format(*d))
                .collect();
            let languages: Vec<String> = o
                .languages
                .iter()
                .map(|l| {
                    if FACET_LANGUAGES.contains(&l.as_str()) {
                        l.clone()
                    } else {
                        "other".into()
                    }
                })
                .collect();
            w.write_record([
                o.offer_id.to_string(),
                title,
                body,
                skills.join(" "),
                o.kind.to_string(),
                o.level.map(|l| l.to_string()).unwrap_or_default(),
                o.modality.to_string(),
                csv_array(&o.provinces),
                csv_array(&o.regions),
                o.gross_price_cents.to_string(),
                PriceBand::of(o.gross_price_cents).to_string(),
                o.study_load_hours
                    .map(|h| LoadBand::of(h).to_string())
                    .unwrap_or_default(),
                o.credential.to_string(),
                csv_array(&languages),
                csv_array(&starts),
                o.published.to_string(),
            ])
            .map_err(err)?;
        }
        let data = w.into_inner().map_err(err)?;
        let mut conn = self.pool.acquire().await.map_err(err)?;
        let mut copy = conn
            .copy_in_raw(
                "COPY bench_offers (id, title, body, skills, kind, level, modality, provinces, regions, \
                 price, price_band, load_band, credential, languages, starts, published) \
                 FROM STDIN WITH (FORMAT csv, NULL '')",
            )
            .await
            .map_err(err)?;
        copy.send(data).await.map_err(err)?;
        copy.finish().await.map_err(err)?;
        Ok(())
    }

    /// Build the indexes the queries use and gather statistics.
    pub async fn finish_load(&self) -> Result<(), PeerError> {
        for stmt in [
            "CREATE INDEX bench_offers_tsv ON bench_offers USING gin (tsv)",
            "CREATE INDEX bench_offers_price ON bench_offers (price)",
            "ANALYZE bench_offers",
        ] {
            sqlx::query(stmt).execute(&self.pool).await.map_err(err)?;
        }
        Ok(())
    }

    /// Table plus indexes, in bytes.
    pub async fn size_bytes(&self) -> Result<i64, PeerError> {
        let row = sqlx::query("SELECT pg_total_relation_size('bench_offers')::bigint")
            .fetch_one(&self.pool)
            .await
            .map_err(err)?;
        row.try_get::<i64, _>(0).map_err(err)
    }

    /// The same search as the index answers: results, total and facet counts.
    pub async fn search(&self, q: &OfferQuery, today: Date) -> Result<PeerResult, PeerError> {
        let mut args = sqlx::postgres::PgArguments::default();
        let mut n = 0;
        let mut next = |args: &mut sqlx::postgres::PgArguments, v: ArgValue| -> String {
            n += 1;
            let _ = match v {
                ArgValue::Text(t) => args.add(t),
                ArgValue::List(l) => args.add(l),
                ArgValue::Date(d) => args.add(iso_date_option::format(d)),
            };
            format!("${n}")
        };
        let mut conds = vec!["published".to_owned()];
        let text = q.text.trim();
        let tsq = if text.is_empty() {
            None
        } else {
            let p = next(&mut args, ArgValue::Text(text.to_owned()));
            conds.push(format!("tsv @@ websearch_to_tsquery('dutch', {p})"));
            Some(p)
        };
        let f = &q.filters;
        let mut list = |args: &mut sqlx::postgres::PgArguments,
                        column: &str,
                        values: Vec<String>,
                        array: bool| {
            if values.is_empty() {
                return;
            }
            let p = next(args, ArgValue::List(values));
            conds.push(if array {
                format!("{column} && {p}::text[]")
            } else {
                format!("{column} = ANY({p}::text[])")
            });
        };
        list(
            &mut args,
            "kind",
            f.kinds.iter().map(|v| v.to_string()).collect(),
            false,
        );
        list(
            &mut args,
            "level",
            f.levels.iter().map(|v| v.to_string()).collect(),
            false,
        );
        list(
            &mut args,
            "modality",
            f.modalities.iter().map(|v| v.to_string()).collect(),
            false,
        );
        list(
            &mut args,
            "credential",
            f.credentials.iter().map(|v| v.to_string()).collect(),
            false,
        );
        list(
            &mut args,
            "price_band",
            f.prices.iter().map(|v| v.to_string()).collect(),
            false,
        );
        list(
            &mut args,
            "load_band",
            f.loads.iter().map(|v| v.to_string()).collect(),
            false,
        );
        list(&mut args, "provinces", f.provinces.clone(), true);
        list(&mut args, "regions", f.regions.clone(), true);
        list(&mut args, "languages", f.languages.clone(), true);
        if let Some(weeks) = f.start_within_weeks {
            let from = next(&mut args, ArgValue::Date(today));
            let to = next(
                &mut args,
                ArgValue::Date(today + time::Duration::days(i64::from(weeks) * 7)),
            );
            conds.push(format!(
                "EXISTS (SELECT 1 FROM unnest(starts) s WHERE s BETWEEN {from}::date AND {to}::date)"
            ));
        }
        let filter = conds.join(" AND ");
        let order = match (q.sort, &tsq) {
            (SortOrder::Relevance, Some(p)) => {
                format!("ts_rank(tsv, websearch_to_tsquery('dutch', {p})) DESC, id")
            }
            (SortOrder::PriceAsc, _) => "price, id".to_owned(),
            (SortOrder::PriceDesc, _) => "price DESC, id".to_owned(),
            (SortOrder::StartDate, _) => {
                "(SELECT min(s) FROM unnest(starts) s) NULLS LAST, id".to_owned()
            }
            _ => "id DESC".to_owned(),
        };
        let top = format!(
            "SELECT id FROM bench_offers WHERE {filter} ORDER BY {order} LIMIT {} OFFSET {}",
            q.limit, q.offset
        );
        let facets = format!(
            "SELECT kind, level, modality, price_band, load_band, credential, count(*) AS n \
             FROM bench_offers WHERE {filter} \
             GROUP BY GROUPING SETS ((kind), (level), (modality), (price_band), (load_band), (credential), ())"
        );
        let lists = format!(
            "SELECT 'province' AS f, x, count(*) FROM bench_offers, unnest(provinces) x WHERE {filter} GROUP BY x \
             UNION ALL SELECT 'region', x, count(*) FROM bench_offers, unnest(regions) x WHERE {filter} GROUP BY x \
             UNION ALL SELECT 'language', x, count(*) FROM bench_offers, unnest(languages) x WHERE {filter} GROUP BY x"
        );
        let ids: Vec<i64> = sqlx::query_with(&top, args.clone())
            .fetch_all(&self.pool)
            .await
            .map_err(err)?
            .iter()
            .filter_map(|r| r.try_get::<i64, _>(0).ok())
            .collect();
        let scalar = sqlx::query_with(&facets, args.clone())
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
        let total = scalar
            .iter()
            .filter(|r| (0..6).all(|i| r.try_get::<Option<String>, _>(i).ok().flatten().is_none()))
            .filter_map(|r| r.try_get::<i64, _>(6).ok())
            .next()
            .unwrap_or(0);
        let listed = sqlx::query_with(&lists, args)
            .fetch_all(&self.pool)
            .await
            .map_err(err)?;
        Ok(PeerResult {
            total,
            ids,
            facet_values: scalar.len() + listed.len(),
        })
    }

    /// Remove the peer's schema.
    pub async fn drop_all(self) -> Result<(), PeerError> {
        sqlx::query(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema))
            .execute(&self.pool)
            .await
            .map_err(err)?;
        self.pool.close().await;
        Ok(())
    }
}

enum ArgValue {
    Text(String),
    List(Vec<String>),
    Date(Date),
}
