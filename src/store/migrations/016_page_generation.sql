-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The generation of what public pages show, carried by the database itself:
-- every change to the programme, the organisation or the site's settings
-- bumps it in the same transaction (by these triggers), whoever writes (a
-- page, `aula import` from another process, a restore).  A cached public page
-- records the generation read before it was rendered and is served only while
-- the generation is still the same, so a render that read the database before
-- an edit can never be served after the edit's response.
CREATE TABLE page_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n INTEGER NOT NULL
);
INSERT INTO page_generation (id, n) VALUES (1, 1);

CREATE TRIGGER page_generation_organisation_insert AFTER INSERT ON organisation
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_organisation_update AFTER UPDATE ON organisation
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_organisation_delete AFTER DELETE ON organisation
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_edition_insert AFTER INSERT ON edition
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_edition_update AFTER UPDATE ON edition
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_edition_delete AFTER DELETE ON edition
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_contact_phone_insert AFTER INSERT ON contact_phone
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_contact_phone_update AFTER UPDATE ON contact_phone
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_contact_phone_delete AFTER DELETE ON contact_phone
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_objective_insert AFTER INSERT ON objective
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_objective_update AFTER UPDATE ON objective
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_objective_delete AFTER DELETE ON objective
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_practical_item_insert AFTER INSERT ON practical_item
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_practical_item_update AFTER UPDATE ON practical_item
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_practical_item_delete AFTER DELETE ON practical_item
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_person_insert AFTER INSERT ON person
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_person_update AFTER UPDATE ON person
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_person_delete AFTER DELETE ON person
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_institution_insert AFTER INSERT ON institution
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_institution_update AFTER UPDATE ON institution
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_institution_delete AFTER DELETE ON institution
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_course_insert AFTER INSERT ON course
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_course_update AFTER UPDATE ON course
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_course_delete AFTER DELETE ON course
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_course_trainer_insert AFTER INSERT ON course_trainer
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_course_trainer_update AFTER UPDATE ON course_trainer
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_course_trainer_delete AFTER DELETE ON course_trainer
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_course_day_insert AFTER INSERT ON course_day
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_course_day_update AFTER UPDATE ON course_day
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_course_day_delete AFTER DELETE ON course_day
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_time_block_insert AFTER INSERT ON time_block
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_time_block_update AFTER UPDATE ON time_block
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_time_block_delete AFTER DELETE ON time_block
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_programme_session_insert AFTER INSERT ON programme_session
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_programme_session_update AFTER UPDATE ON programme_session
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_programme_session_delete AFTER DELETE ON programme_session
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_topic_insert AFTER INSERT ON topic
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_topic_update AFTER UPDATE ON topic
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_topic_delete AFTER DELETE ON topic
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_session_person_insert AFTER INSERT ON session_person
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_session_person_update AFTER UPDATE ON session_person
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_session_person_delete AFTER DELETE ON session_person
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_signatory_insert AFTER INSERT ON signatory
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_signatory_update AFTER UPDATE ON signatory
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_signatory_delete AFTER DELETE ON signatory
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_site_setting_insert AFTER INSERT ON site_setting
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_site_setting_update AFTER UPDATE ON site_setting
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_site_setting_delete AFTER DELETE ON site_setting
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_site_file_insert AFTER INSERT ON site_file
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_site_file_update AFTER UPDATE ON site_file
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER page_generation_site_file_delete AFTER DELETE ON site_file
BEGIN UPDATE page_generation SET n = n + 1 WHERE id = 1; END;
