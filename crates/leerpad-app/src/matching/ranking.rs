//! Suggestions from CV text and titles, occupations within reach and the skill gap.

use super::*;

impl Matching {
    /// Skills found in CV text and occupations for job titles, to review; nothing is saved.
    pub fn suggest(&self, cv_text: &str, titles: &[String], lang: &str) -> Suggestions {
        let skills = if cv_text.trim().is_empty() {
            Vec::new()
        } else {
            self.taxonomy.extract_skills(cv_text, lang, 30)
        };
        let occupations = titles
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .take(10)
            .map(|t| (t.to_owned(), self.taxonomy.match_title(t, lang, 5)))
            .collect();
        Suggestions {
            skills,
            occupations,
        }
    }

    pub(super) fn home(&self, profile: &LearnerProfile) -> Option<&Municipality> {
        profile
            .municipality
            .as_deref()
            .and_then(|m| self.regions.municipality(m))
    }

    /// Where the person lives and which occupations are theirs (left out of suggestions).
    fn context(&self, profile: &LearnerProfile) -> MatchContext<'_> {
        let t = &self.taxonomy.taxonomy;
        let home = self.home(profile);
        let own: Vec<OccupationId> = profile
            .occupations
            .iter()
            .filter_map(|o| t.occupation_id(&o.uri))
            .collect();
        MatchContext {
            region: home.map(|m| m.region.as_str()),
            province: home.map(|m| m.province.as_str()),
            own_isco: own
                .iter()
                .filter_map(|o| t.occupation(*o))
                .map(|o| o.isco_code.as_str())
                .collect(),
            exclude: own,
        }
    }

    /// Occupations ranked for a profile, with demand in the person's region.
    pub fn matches(&self, profile: &LearnerProfile, top: usize) -> Matches {
        let t = &self.taxonomy.taxonomy;
        let skills = profile.weighted_skills(t);
        let home = self.home(profile);
        if skills.is_empty() {
            return Matches {
                items: Vec::new(),
                empty_profile: true,
                region: home.map(|m| m.region.clone()),
            };
        }
        let demand = self.demand();
        let ctx = self.context(profile);
        let demand = (!demand.is_empty()).then_some(demand.as_ref());
        Matches {
            items: self
                .prepared()
                .index
                .rank(t, &skills, demand, &ctx, top.clamp(1, 100)),
            empty_profile: false,
            region: home.map(|m| m.region.clone()),
        }
    }

    /// A sector transition: the occupations growing in a region (or province) that share most
    /// of the skills of `from`, a shrinking occupation there — the same rule as a person's
    /// moves, with the occupation's own skills as the profile. None without demand figures.
    pub fn transitions_from(
        &self,
        from: leerpad_domain::taxonomy::OccupationId,
        region: Option<&str>,
        province: Option<&str>,
        top: usize,
    ) -> GrowthMoves {
        let t = &self.taxonomy.taxonomy;
        let demand = self.demand();
        let mut skills: Vec<(leerpad_domain::taxonomy::SkillId, f32)> =
            t.skills_of(from).iter().map(|(s, _)| (*s, 1.0)).collect();
        skills.sort_by_key(|(s, _)| *s);
        skills.dedup_by_key(|(s, _)| *s);
        if skills.is_empty() || demand.is_empty() {
            return GrowthMoves::default();
        }
        let own_isco: Vec<&str> = t
            .occupation(from)
            .map(|o| vec![o.isco_code.as_str()])
            .unwrap_or_default();
        let ctx = leerpad_domain::matching::MatchContext {
            region,
            province,
            own_isco,
            exclude: vec![from],
        };
        growth_moves(
            &self.prepared().index,
            t,
            &skills,
            &demand,
            &ctx,
            GrowthRule::default(),
            top.clamp(1, 20),
        )
    }

    /// "Ik wil iets anders": at most `top` occupations growing where the person lives that share
    /// many of their skills, outside their shrinking field (the rule is the domain's
    /// `growth_moves`). None without skills or demand figures.
    pub fn growth(&self, profile: &LearnerProfile, top: usize) -> GrowthMoves {
        let t = &self.taxonomy.taxonomy;
        let skills = profile.weighted_skills(t);
        let demand = self.demand();
        if skills.is_empty() || demand.is_empty() {
            return GrowthMoves::default();
        }
        let ctx = self.context(profile);
        growth_moves(
            &self.prepared().index,
            t,
            &skills,
            &demand,
            &ctx,
            GrowthRule::default(),
            top.clamp(1, 50),
        )
    }

    /// An occupation by key or URI.
    pub fn occupation(&self, key: &str) -> AppResult<OccupationId> {
        self.taxonomy
            .taxonomy
            .occupation_id(key)
            .ok_or(AppError::NotFound("occupation"))
    }

    /// The skill gap between a profile and an occupation.
    pub fn gap(&self, profile: &LearnerProfile, occupation: OccupationId) -> SkillGap {
        let t = &self.taxonomy.taxonomy;
        let skills: Vec<SkillId> = profile
            .weighted_skills(t)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        skill_gap(t, &self.prepared().groups, &skills, occupation)
    }

    /// Skill weights for the index: missing essential skills, rarest first, then optional ones.
    pub(super) fn wanted(&self, gap: &SkillGap) -> Vec<(String, f32)> {
        let t = &self.taxonomy.taxonomy;
        let idx = &self.prepared().index;
        let mut essential = gap.missing_essential.clone();
        essential.sort_by(|a, b| idx.idf(*b).total_cmp(&idx.idf(*a)).then(a.cmp(b)));
        let mut optional = gap.missing_optional.clone();
        optional.sort_by(|a, b| idx.idf(*b).total_cmp(&idx.idf(*a)).then(a.cmp(b)));
        essential
            .iter()
            .map(|s| (*s, 1.0))
            .chain(optional.iter().map(|s| (*s, OPTIONAL_GAP_WEIGHT as f32)))
            .take(PLAN_SKILLS)
            .filter_map(|(s, w)| t.skill(s).map(|r| (key_of(&r.uri).to_owned(), w)))
            .collect()
    }
}
