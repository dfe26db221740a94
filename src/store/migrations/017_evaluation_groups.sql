-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Breakdowns of an anonymous questionnaire (see ARCHITECTURE.md,
-- "Evaluation"): one dimension, chosen before answers arrive, and the
-- answerer's group in it copied onto the answer (never the person) only
-- once at least min_group people of that group have answered, themselves
-- included; otherwise grp stays NULL ("others").
ALTER TABLE questionnaire ADD COLUMN breakdown TEXT NOT NULL DEFAULT 'country'
    CHECK (breakdown IN ('none', 'country', 'gender', 'institution_type'));
ALTER TABLE evaluation_response ADD COLUMN grp TEXT;
