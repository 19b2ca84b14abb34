//! The learner's profile: reading it and editing it at the version read.

use super::*;

impl Matching {
    /// The person's profile (empty when none saved yet).
    pub async fn profile(&self, principal: &Principal) -> AppResult<LearnerProfile> {
        Ok(self.stored_profile(principal).await?.profile)
    }

    async fn stored_profile(&self, principal: &Principal) -> AppResult<StoredProfile> {
        principal.authorize(Action::ManageOwnAccount)?;
        Ok(self
            .profiles
            .profile(principal.user_id)
            .await?
            .unwrap_or_default())
    }

    /// Check a profile: every problem with its field.
    pub fn validate_profile(&self, profile: &LearnerProfile) -> AppResult<()> {
        let errors = profile.validate(&self.taxonomy.taxonomy, &self.regions);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::InvalidFields(errors))
        }
    }

    /// Replace the person's profile as a whole (the API's PUT). URIs are stored in full, each
    /// skill once.
    pub async fn save_profile(
        &self,
        principal: &Principal,
        profile: LearnerProfile,
    ) -> AppResult<LearnerProfile> {
        let stored = self.stored_profile(principal).await?;
        self.store_profile(principal, profile, stored.version).await
    }

    /// Apply one change to the stored profile and save it in one use case: read, change,
    /// check, save at the version read. When someone else saved in between, the answer is a
    /// conflict (409) instead of a lost update.
    pub async fn edit_profile(
        &self,
        principal: &Principal,
        edit: ProfileEdit,
    ) -> AppResult<LearnerProfile> {
        let StoredProfile {
            mut profile,
            version,
        } = self.stored_profile(principal).await?;
        let t = &self.taxonomy.taxonomy;
        match edit {
            ProfileEdit::AddOccupation(occupation) => profile.add_occupation(t, occupation),
            ProfileEdit::RemoveOccupation { uri } => {
                if !profile.occupations.iter().any(|o| o.uri == uri) {
                    return Err(AppError::NotFound("occupation in your profile"));
                }
                profile.remove_occupation(t, &uri);
            }
            ProfileEdit::AddSkills(skills) => {
                for skill in skills {
                    profile.add_skill(skill);
                }
            }
            ProfileEdit::RemoveSkill { uri } => profile.skills.retain(|s| s.uri != uri),
            ProfileEdit::Situation(situation) => {
                profile.education = situation.education;
                profile.travel = situation.travel;
                profile.municipality = situation.municipality;
                profile.hours_per_week = situation.hours_per_week;
                profile.budget_cents = situation.budget_cents;
            }
        }
        self.store_profile(principal, profile, version).await
    }

    /// Normalise (full URIs, each skill once, municipality as its CBS code), check and save
    /// at `expected_version`.
    async fn store_profile(
        &self,
        principal: &Principal,
        mut profile: LearnerProfile,
        expected_version: i64,
    ) -> AppResult<LearnerProfile> {
        principal.authorize(Action::ManageOwnAccount)?;
        self.validate_profile(&profile)?;
        let t = &self.taxonomy.taxonomy;
        for s in &mut profile.skills {
            if let Some(rec) = t.skill_id(&s.uri).and_then(|id| t.skill(id)) {
                s.uri = rec.uri.clone();
            }
            if let Some(o) = &mut s.occupation
                && let Some(rec) = t.occupation_id(o).and_then(|id| t.occupation(id))
            {
                *o = rec.uri.clone();
            }
        }
        for o in &mut profile.occupations {
            if let Some(rec) = t.occupation_id(&o.uri).and_then(|id| t.occupation(id)) {
                o.uri = rec.uri.clone();
            }
        }
        let skills = std::mem::take(&mut profile.skills);
        for s in skills {
            profile.add_skill(s);
        }
        if let Some(m) = &profile.municipality
            && let Some(found) = self.regions.municipality(m)
        {
            profile.municipality = Some(found.code.clone());
        }
        self.profiles
            .save_profile(
                principal.user_id,
                &profile,
                expected_version,
                self.clock.now(),
            )
            .await?;
        Ok(profile)
    }
}
