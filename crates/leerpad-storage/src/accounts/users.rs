//! Users and their roles: creating, finding and listing accounts, granting and removing roles
//! (never the last administrator), and deleting an account.

use crate::db::{Sql, SqlStore, Tx};
use async_trait::async_trait;
use leerpad_domain::accounts::ports::{NewUser, UserRecord, UserStore};
use leerpad_domain::clock::UnixTime;
use leerpad_domain::ports::{StoreError, StoreResult};
use leerpad_domain::role::{Role, RoleSet};
use leerpad_domain::shared::UserId;

/// Lock every administrator's role row and refuse when `user_id` is the only one left: the
/// check and the removal that follows are one transaction. On PostgreSQL a second transaction
/// removing another administrator waits on these row locks and then sees the first one's
/// removal, so two administrators leaving at once cannot both go.
async fn refuse_last_admin(tx: &mut Tx, user_id: UserId) -> StoreResult<()> {
    let sql = format!(
        "SELECT user_id FROM user_roles WHERE role = $1 ORDER BY user_id{}",
        tx.for_update()
    );
    let admins: Vec<(i64,)> = tx
        .exec()
        .fetch_all(Sql::new(sql).arg(Role::Admin.as_str()))
        .await?;
    if admins.iter().any(|(id,)| *id == user_id.get()) && admins.len() <= 1 {
        return Err(StoreError::Refused(
            "this is the last administrator; make another administrator first".into(),
        ));
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    display_name: String,
    password_hash: String,
    locale: String,
    created_at: i64,
    updated_at: i64,
}

impl From<UserRow> for UserRecord {
    fn from(r: UserRow) -> Self {
        UserRecord {
            id: UserId::new(r.id),
            email: r.email,
            display_name: r.display_name,
            password_hash: r.password_hash,
            locale: r.locale,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const USER_COLUMNS: &str = "id, email, display_name, password_hash, locale, created_at, updated_at";

fn parse_role(text: &str) -> StoreResult<Role> {
    text.parse()
        .map_err(|e| StoreError::Backend(format!("corrupt role in user_roles: {e}")))
}

#[async_trait]
impl UserStore for SqlStore {
    async fn create_user(&self, user: NewUser, roles: &RoleSet) -> StoreResult<UserRecord> {
        let mut tx = self.begin().await?;
        let row: UserRow = tx
            .exec()
            .fetch_one(
                Sql::new(format!(
                    "INSERT INTO users (email, display_name, password_hash, locale, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $5) RETURNING {USER_COLUMNS}"
                ))
                .arg(user.email)
                .arg(user.display_name)
                .arg(user.password_hash)
                .arg(user.locale)
                .arg(user.created_at),
            )
            .await?;
        for role in roles.iter() {
            tx.exec()
                .execute(
                    Sql::new(
                        "INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, $2, $3)",
                    )
                    .arg(row.id)
                    .arg(role.as_str())
                    .arg(user.created_at),
                )
                .await?;
        }
        tx.commit().await?;
        Ok(row.into())
    }

    async fn user_by_id(&self, id: i64) -> StoreResult<Option<UserRecord>> {
        let row: Option<UserRow> = self
            .fetch_optional(
                Sql::new(format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1")).arg(id),
            )
            .await?;
        Ok(row.map(Into::into))
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>> {
        let row: Option<UserRow> = self
            .fetch_optional(
                Sql::new(format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1")).arg(email),
            )
            .await?;
        Ok(row.map(Into::into))
    }

    async fn list_users(&self, after_id: UserId, limit: u32) -> StoreResult<Vec<UserRecord>> {
        let rows: Vec<UserRow> = self
            .fetch_all(
                Sql::new(format!(
                    "SELECT {USER_COLUMNS} FROM users WHERE id > $1 ORDER BY id LIMIT $2"
                ))
                .arg(after_id)
                .arg(i64::from(limit)),
            )
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn roles_of(&self, user_id: UserId) -> StoreResult<RoleSet> {
        let rows: Vec<(String,)> = self
            .fetch_all(Sql::new("SELECT role FROM user_roles WHERE user_id = $1").arg(user_id))
            .await?;
        rows.iter().map(|(r,)| parse_role(r)).collect()
    }

    async fn set_role(
        &self,
        user_id: UserId,
        role: Role,
        granted: bool,
        at: UnixTime,
    ) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let sql = if granted {
            Sql::new(
                "INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id, role) DO NOTHING",
            )
            .arg(user_id)
            .arg(role.as_str())
            .arg(at)
        } else {
            if role == Role::Admin {
                refuse_last_admin(&mut tx, user_id).await?;
            }
            Sql::new("DELETE FROM user_roles WHERE user_id = $1 AND role = $2")
                .arg(user_id)
                .arg(role.as_str())
        };
        let changed = tx.exec().execute(sql).await? > 0;
        tx.commit().await?;
        Ok(changed)
    }

    async fn set_password_hash(
        &self,
        user_id: UserId,
        hash: &str,
        at: UnixTime,
    ) -> StoreResult<()> {
        self.execute(
            Sql::new("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
                .arg(hash)
                .arg(at)
                .arg(user_id),
        )
        .await
        .map(drop)
    }

    async fn set_locale(&self, user_id: UserId, locale: &str, at: UnixTime) -> StoreResult<()> {
        self.execute(
            Sql::new("UPDATE users SET locale = $1, updated_at = $2 WHERE id = $3")
                .arg(locale)
                .arg(at)
                .arg(user_id),
        )
        .await
        .map(drop)
    }

    async fn count_by_role(&self) -> StoreResult<Vec<(Role, i64)>> {
        let rows: Vec<(String, i64)> = self
            .fetch_all(Sql::new(
                "SELECT role, COUNT(*) FROM user_roles GROUP BY role ORDER BY role",
            ))
            .await?;
        rows.iter().map(|(r, n)| Ok((parse_role(r)?, *n))).collect()
    }

    async fn count_registered_since(&self, since: UnixTime) -> StoreResult<i64> {
        let (n,): (i64,) = self
            .fetch_one(Sql::new("SELECT COUNT(*) FROM users WHERE created_at >= $1").arg(since))
            .await?;
        Ok(n)
    }

    async fn delete_user(&self, user_id: UserId) -> StoreResult<bool> {
        // The foreign keys cascade to what is only the person's and set the link to NULL on
        // what others must keep (see the migrations).
        let mut tx = self.begin().await?;
        refuse_last_admin(&mut tx, user_id).await?;
        let n = tx
            .exec()
            .execute(Sql::new("DELETE FROM users WHERE id = $1").arg(user_id))
            .await?;
        tx.commit().await?;
        Ok(n > 0)
    }
}
